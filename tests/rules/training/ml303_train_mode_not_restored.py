# rules: ML303

# case: validation at the end of the epoch loop, train() only before it
import torch
model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()  # expect: ML303
    with torch.no_grad():
        val_loss = sum(criterion(model(x), y) for x, y in val_loader)
# fixed:
import torch
model.train()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(criterion(model(x), y) for x, y in val_loader)

# case: never put back in train mode, model given to the optimizer
import torch
import torch.nn as nn
net = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.2), nn.Linear(8, 1))
opt = torch.optim.Adam(net.parameters())
for epoch in range(5):
    for x, y in loader:
        opt.zero_grad()
        nn.functional.mse_loss(net(x), y).backward()
        opt.step()
    net.eval()  # expect: ML303
    print(evaluate_loss(net))

# case: periodic evaluation inside the batch loop
import torch
model.train()
for step, (x, y) in enumerate(loader):
    loss = model(x, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if step % 100 == 0:
        model.eval()  # expect: ML303
        estimate(model)
# fixed:
import torch
model.train()
for step, (x, y) in enumerate(loader):
    model.train()
    loss = model(x, y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    if step % 100 == 0:
        model.eval()
        estimate(model)

# case: a helper that evaluates, called in the epoch loop
import torch

def evaluate(net, loader):
    net.eval()
    with torch.no_grad():
        return sum(net(x).argmax(1).eq(y).sum().item() for x, y in loader)

model.train()
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    accuracy = evaluate(model, val_loader)  # expect: ML303

# case: a helper that evaluates a global model
import torch

def validate():
    model.eval()
    with torch.no_grad():
        return criterion(model(X_val), y_val).item()

def train():
    model.train()
    for epoch in range(100):
        optimizer.zero_grad()
        criterion(model(X), y).backward()
        optimizer.step()
        history.append(validate())  # expect: ML303

# case: eval through a chained call
import torch
for epoch in range(3):
    for batch in loader:
        loss = model(**batch).loss
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
    model.to(device).eval()  # expect: ML303
    run_validation(model)
model.train()

# case: train(False) inside a while loop
import torch
step = 0
model.zero_grad()
while step < max_steps:
    loss = model(next(batches))
    loss.backward()
    optimizer.step()
    optimizer.zero_grad()
    step += 1
    if step % eval_every == 0:
        model.train(False)  # expect: ML303
        evaluate(model)

# case: inside a function with a dotted model
import torch

def fit(trainer):
    trainer.model.train()
    for epoch in range(trainer.epochs):
        for x, y in trainer.loader:
            trainer.optimizer.zero_grad()
            trainer.loss(trainer.model(x), y).backward()
            trainer.optimizer.step()
        trainer.model.eval()  # expect: ML303
        trainer.validate()

# case: a method helper on self
import torch

class Runner:
    def validate(self):
        self.model.eval()
        return score(self.model, self.val_loader)

    def fit(self):
        self.model.train()
        for epoch in range(self.epochs):
            for x, y in self.loader:
                self.optimizer.zero_grad()
                self.criterion(self.model(x), y).backward()
                self.optimizer.step()
            self.validate()  # expect: ML303

# case: train() at the top of the epoch loop
import torch
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    validate(model)

# case: train() restored after validation
import torch
model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    validate(model)
    model.train()

# case: a local training function that calls train()
import torch

def train_one_epoch(model, loader):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()

for epoch in range(10):
    train_one_epoch(model, train_loader)
    model.eval()
    validate(model)

# case: the helper restores train mode itself
import torch

def evaluate(net, loader):
    net.eval()
    with torch.no_grad():
        result = sum(net(x).sum() for x in loader)
    net.train()
    return result

model.train()
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    evaluate(model, val_loader)

# case: evaluation after the training loop
import torch
model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
model.eval()
validate(model)

# case: a frozen teacher put in eval mode in the loop
import torch
optimizer = torch.optim.SGD(student.parameters(), lr=0.1)
student.train()
for x, y in loader:
    teacher.eval()
    with torch.no_grad():
        soft = teacher(x)
    loss = distill(student(x), soft, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()

# case: eval then break out of the loop
import torch
model.train()
for epoch in range(100):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    if early_stop():
        model.eval()
        break

# case: phase loop switching modes
import torch
for epoch in range(25):
    for phase in ["train", "val"]:
        if phase == "train":
            model.train()
        else:
            model.eval()
        for inputs, labels in loaders[phase]:
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                loss = criterion(model(inputs), labels)
                if phase == "train":
                    loss.backward()
                    optimizer.step()

# case: an evaluation loop that does not train
import torch
model.train()
for x, y in train_loader:
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
for checkpoint in checkpoints:
    model.load_state_dict(torch.load(checkpoint, weights_only=True))
    model.eval()
    validate(model)

# case: a LightningModule evaluating inside its own loop
import torch
import lightning as L

class Model(L.LightningModule):
    def fit_manually(self):
        self.train()
        for batch in self.loader:
            self.manual_backward(self.step(batch))
            self.optimizers().step()
            self.optimizers().zero_grad()
            self.eval()
            self.log_samples()

# case: a model without dropout or batch norm: the mode changes nothing
import torch
from torch import nn

class CircleModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.layer_1 = nn.Linear(2, 10)
        self.layer_2 = nn.Sequential(nn.ReLU(), nn.Linear(10, 1))

    def forward(self, x):
        return self.layer_2(self.layer_1(x))

model_1 = CircleModel().to(device)
optimizer = torch.optim.SGD(model_1.parameters(), lr=0.1)
for epoch in range(100):
    loss = loss_fn(model_1(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    model_1.eval()
    with torch.inference_mode():
        test_loss = loss_fn(model_1(X_test), y_test)

# case: a model with dropout is flagged even when built locally
import torch
from torch import nn

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(2, 10), nn.Dropout(0.5), nn.Linear(10, 1))

    def forward(self, x):
        return self.body(x)

net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
for epoch in range(100):
    loss = loss_fn(net(X_train), y_train)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    net.eval()  # expect: ML303
    with torch.inference_mode():
        test_loss = loss_fn(net(X_test), y_test)
