# rules: ML304

# case: instance
import torch
out = model.forward(x)  # expect: ML304

# case: self in a method
import torch.nn as nn
class A(nn.Module):
    def f(self, x):
        return self.forward(x)  # expect: ML304

# case: attribute chain
import torch
out = self.backbone.forward(x, mask=m)  # expect: ML304

# case: constructed inline
from torch import nn
out = nn.Linear(2, 2).forward(x)  # expect: ML304

# case: parenthesised receiver
import torch
out = (model).forward(x)  # expect: ML304

# case: multi-line chain
import torch
out = (model  # expect: ML304
       .forward(x))

# case: inside a no_grad block
import torch
with torch.no_grad():
    y = net.forward(x)  # expect: ML304

# case: DataParallel module
import torch
y = model.module.forward(x)  # expect: ML304

# case: super()
import torch.nn as nn
class A(nn.Linear):
    def forward(self, x):
        return super().forward(x)

# case: super(Cls, self)
import torch.nn as nn
class A(nn.Linear):
    def forward(self, x):
        return super(A, self).forward(x)

# case: library base class
import torch.nn as nn
class A(nn.LSTM):
    def forward(self, x):
        return nn.LSTM.forward(self, x)

# case: local base class
import torch
class Base:
    pass
class A(Base):
    def forward(self, x):
        return Base.forward(self, x)

# case: no torch import
out = model.forward(x)

# case: a function named forward
import torch
out = forward(x)

# case: not called
import torch
model.forward = patched_forward
f = model.forward

# case: a module-level function of an imported module
import torch
import mynet
out = mynet.forward(x)

# case: fix: out = model.forward(x)
import torch
out = model.forward(x)  # expect: ML304
# fixed:
import torch
out = model(x)

# case: fix: out = (model).forward(x)
import torch
out = (model).forward(x)  # expect: ML304
# fixed:
import torch
out = (model)(x)

# case: fix: .forward(x, y=1))
import torch
out = (model  # expect: ML304
       .forward(x, y=1))
# fixed:
import torch
out = (model(x, y=1))

# case: fix: out = self.net.forward(x)  # keep
import torch
if ok:
    out = self.net.forward(x)  # keep  # expect: ML304
# fixed:
import torch
if ok:
    out = self.net(x)  # keep
