# rules: ML301

# case: module-level loop
import torch
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()  # expect: ML301

# case: optimizer passed to a function
import torch
def train(model, loader, opt):
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
        opt.step()  # expect: ML301

# case: epoch and batch loops
import torch.optim as optim
optimizer = optim.Adam(model.parameters())
for epoch in range(10):
    for x, y in loader:
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()  # expect: ML301

# case: zero_grad once before the loop
import torch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
optimizer.zero_grad()
for x, y in loader:
    loss_fn(model(x), y).backward()
    optimizer.step()  # expect: ML301

# case: accumulation without any reset
import torch
optimizer = torch.optim.AdamW(model.parameters())
for i, (x, y) in enumerate(loader):
    loss = loss_fn(model(x), y) / 4
    loss.backward()
    if (i + 1) % 4 == 0:
        optimizer.step()  # expect: ML301

# case: grad scaler steps the optimizer
import torch
from torch.cuda.amp import GradScaler
scaler = GradScaler()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    scaler.scale(loss_fn(model(x), y)).backward()
    scaler.step(optimizer)  # expect: ML301
    scaler.update()

# case: while loop
import torch
optimizer = torch.optim.SGD(params, lr=0.1)
while not done:
    loss = compute()
    loss.backward()
    optimizer.step()  # expect: ML301

# case: optimizer attribute in a method
import torch
class Runner:
    def fit(self, loader):
        for batch in loader:
            self.loss(batch).backward()
            self.optimizer.step()  # expect: ML301

# case: the other optimizer's reset does not count
import torch
opt_d = torch.optim.Adam(disc.parameters())
opt_g = torch.optim.Adam(gen.parameters())
for real in loader:
    opt_d.zero_grad()
    d_loss(real).backward()
    opt_d.step()
    g_loss(real).backward()
    opt_g.step()  # expect: ML301

# case: zero_grad first in the loop
import torch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in loader:
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()

# case: zero_grad after the step
import torch
for x, y in loader:
    loss_fn(model(x), y).backward()
    optimizer.step()
    optimizer.zero_grad()

# case: zero_grad inside the accumulation if
import torch
for i, (x, y) in enumerate(loader):
    loss_fn(model(x), y).backward()
    if (i + 1) % 4 == 0:
        optimizer.step()
        optimizer.zero_grad()

# case: set_to_none
import torch
for x, y in loader:
    optimizer.zero_grad(set_to_none=True)
    loss_fn(model(x), y).backward()
    optimizer.step()

# case: model.zero_grad
import torch
for x, y in loader:
    model.zero_grad()
    loss_fn(model(x), y).backward()
    optimizer.step()

# case: reset in the enclosing epoch loop
import torch
for epoch in range(3):
    optimizer.zero_grad()
    for x, y in loader:
        loss_fn(model(x), y).backward()
    optimizer.step()

# case: reset in an inner loop of the same training loop
import torch
for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    optimizer.step()

# case: scheduler step is not an optimizer
import torch
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1)
for epoch in range(3):
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    scheduler.step()

# case: LBFGS closure resets inside the closure
import torch
optimizer = torch.optim.LBFGS(model.parameters())
for i in range(10):
    def closure():
        optimizer.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        return loss
    optimizer.step(closure)

# case: no backward in the loop
import torch
for i in range(10):
    optimizer.step()

# case: environment step in an RL loop
import torch
for t in range(100):
    state, reward, done, _ = env.step(action)
    policy_loss.backward()

# case: manual gradient reset
import torch
for x, y in loader:
    for p in model.parameters():
        p.grad = None
    loss_fn(model(x), y).backward()
    optimizer.step()

# case: grad.zero_() reset
import torch
for x, y in loader:
    loss_fn(model(x), y).backward()
    optimizer.step()
    for p in params:
        p.grad.zero_()

# case: no torch in the file
for x, y in loader:
    loss.backward()
    optimizer.step()

# case: scaler with the reset
import torch
for x, y in loader:
    optimizer.zero_grad()
    scaler.scale(loss_fn(model(x), y)).backward()
    scaler.step(optimizer)

# case: fix: zero_grad goes first in the loop body
import torch
optimizer = torch.optim.SGD(params, lr=0.1)
for x, y in loader:
    loss = loss_fn(model(x), y)  # forward
    loss.backward()
    optimizer.step()  # expect: ML301
# fixed:
import torch
optimizer = torch.optim.SGD(params, lr=0.1)
for x, y in loader:
    optimizer.zero_grad()
    loss = loss_fn(model(x), y)  # forward
    loss.backward()
    optimizer.step()

# case: fix: accumulation keeps its period by resetting after the step
import torch
def train(opt):
    for i, batch in enumerate(loader):
        loss(batch).backward()
        if (i + 1) % 4 == 0:
            opt.step()  # accumulate 4 batches  # expect: ML301
# fixed:
import torch
def train(opt):
    for i, batch in enumerate(loader):
        loss(batch).backward()
        if (i + 1) % 4 == 0:
            opt.step()  # accumulate 4 batches
            opt.zero_grad()

# case: fix: the optimizer stepped by a grad scaler
import torch
for x in loader:
    scaler.scale(loss(x)).backward()
    scaler.step(optim_g)  # expect: ML301
# fixed:
import torch
for x in loader:
    optim_g.zero_grad()
    scaler.scale(loss(x)).backward()
    scaler.step(optim_g)

# case: a one-line loop body
import torch
for x in loader: loss(x).backward(); opt.step()  # expect: ML301

# case: notebook: the loop in a later cell
# cell
import torch
opt = torch.optim.SGD(p, lr=1)
# cell
for x in data:
    loss(x).backward()
    opt.step()  # expect: ML301
