# rules: ML302

# case: module-level nn.Module subclass
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
with torch.no_grad():  # expect: ML302
    predictions = model(X_valid)

# case: from torch import no_grad
from torch import nn, no_grad

class Net(nn.Module):
    pass

net = Net()
with no_grad():  # expect: ML302
    out = net(x)

# case: inference_mode
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
with torch.inference_mode():  # expect: ML302
    model(x)

# case: model.forward under no_grad
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
with torch.no_grad():  # expect: ML302
    model.forward(x)

# case: torchvision model
import torch
import torchvision
model = torchvision.models.resnet18(weights=None)
with torch.no_grad():  # expect: ML302
    logits = model(images)

# case: timm model moved to a device
import timm
import torch
model = timm.create_model("resnet50").to(device)
with torch.no_grad():  # expect: ML302
    logits = model(images)

# case: nn.Sequential
import torch.nn as nn
import torch
model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 1))
with torch.no_grad():  # expect: ML302
    y = model(x)

# case: trained model built by a helper
import torch
model = build_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
with torch.no_grad():  # expect: ML302
    y = model(x)

# case: local model in a function
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

def predict(x):
    model = Net()
    model.load_state_dict(torch.load("m.pt", weights_only=True))
    with torch.no_grad():  # expect: ML302
        return model(x)

# case: global model, eval only after the function is called
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()

def evaluate(x):
    with torch.no_grad():  # expect: ML302
        return model(x)

evaluate(batch)
model.eval()

# case: nested no_grad blocks report once
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
with torch.no_grad():  # expect: ML302
    with torch.autocast("cuda"):
        model(x)

# case: Hugging Face model fine-tuned in the file
import torch
from transformers import AutoModelForSequenceClassification as Model
model = Model.from_pretrained("org/name", revision="v1", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters())
model.train()
with torch.no_grad():  # expect: ML302
    logits = model(**batch).logits

# case: copy of a model
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

import copy
model = Net()
ema = copy.deepcopy(model)
with torch.no_grad():  # expect: ML302
    ema(x)

# case: eval before the block
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
model.eval()
with torch.no_grad():
    model(x)

# case: eval inside the block before the call
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
with torch.no_grad():
    model.eval()
    model(x)

# case: train(False)
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
model.train(False)
with torch.no_grad():
    model(x)

# case: eval at construction
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net().to(device).eval()
with torch.no_grad():
    model(x)

# case: eval through a chain
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
model.to(device).eval()
with torch.no_grad():
    model(x)

# case: EMA update never calls a model
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
ema = Net()
with torch.no_grad():
    for p_ema, p in zip(ema.parameters(), model.parameters()):
        p_ema.mul_(0.99).add_(p, alpha=0.01)

# case: weight surgery
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
with torch.no_grad():
    model.fc.weight.fill_(0.0)

# case: statistics under no_grad
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
with torch.no_grad():
    mean = torch.stack(batches).mean(0)

# case: model given as a parameter
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
def evaluate(model, x):
    with torch.no_grad():
        return model(x)

# case: model class imported from another file
import torch
from models import Net
model = Net()
with torch.no_grad():
    model(x)

# case: loss module under no_grad
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
criterion = torch.nn.CrossEntropyLoss()
for x, y in loader:
    criterion(model(x), y).backward()
model.eval()
with torch.no_grad():
    criterion(model(xv), yv)

# case: softmax layer is not a model
import torch
softmax = torch.nn.Softmax(dim=1)
with torch.no_grad():
    p = softmax(logits)

# case: Hugging Face from_pretrained is returned in eval mode
import torch
from transformers import AutoModel
model = AutoModel.from_pretrained("bert-base-uncased", revision="main")
with torch.no_grad():
    out = model(**inputs)

# case: global model put in eval mode before the function is called
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()

def evaluate(x):
    with torch.no_grad():
        return model(x)

model.eval()
evaluate(batch)

# case: no_grad decorator is not a block
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
@torch.no_grad()
def predict(x):
    return model(x)

# case: enable_grad
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
with torch.enable_grad():
    model(x)

# case: torchvision weights' preprocessing
import torch
import torchvision
preprocess = torchvision.models.ResNet50_Weights.DEFAULT.transforms()
with torch.no_grad():
    batch = preprocess(image)

# case: no torch import
model = Net()
with no_grad():
    model(x)

# case: eval in a validation helper of the loop
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
def validate():
    model.eval()
    with torch.no_grad():
        return model(xv)

# case: fix: eval() goes before the block
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
if check:
    with torch.no_grad():  # expect: ML302
        model(x)
# fixed:
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
if check:
    model.eval()
    with torch.no_grad():
        model(x)

# case: fix: train mode is restored inside a training loop
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    with torch.no_grad():  # expect: ML302
        val = model(xv)  # validation
    print(val)
# fixed:
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x

model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val = model(xv)  # validation
    model.train()
    print(val)

# case: two models called in one block
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
a = Net()
b = Net()
with torch.no_grad():  # expect: ML302
    a(x) + b(x)

# case: a one-line block in a training loop
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
opt = torch.optim.SGD(model.parameters(), lr=1)
for e in range(2):
    opt.zero_grad()
    model(x).sum().backward()
    opt.step()
    with torch.no_grad(): model(xv)  # expect: ML302

# case: notebook: the block in a later cell
# cell
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
model = Net()
# cell
with torch.no_grad():  # expect: ML302
    model(x)

# case: a pretrained model evaluated before it is fine-tuned
import torch
from transformers import AutoModelForSequenceClassification
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
with torch.no_grad():
    baseline = model(**batch)
optimizer = torch.optim.AdamW(model.parameters())
for batch in loader:
    model(**batch).loss.backward()
    optimizer.step()

# case: a pretrained model evaluated after train()
import torch
from transformers import AutoModelForSequenceClassification
model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters())
model.train()
for batch in loader:
    model(**batch).loss.backward()
    optimizer.step()
with torch.no_grad():  # expect: ML302
    score = model(**batch)

# case: a pretrained model evaluated inside the training loop
import torch
from transformers import AutoModel
model = AutoModel.from_pretrained("bert-base-uncased")
optimizer = torch.optim.AdamW(model.parameters())
for epoch in range(3):
    for batch in loader:
        model(**batch).loss.backward()
        optimizer.step()
    with torch.no_grad():  # expect: ML302
        val = model(**val_batch)

# case: set_grad_enabled(False) without eval
import torch
import torch.nn as nn
net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
with torch.set_grad_enabled(False):  # expect: ML302
    out = net(x)

# case: set_grad_enabled with a flag, or True, or after eval
import torch
import torch.nn as nn
net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
with torch.set_grad_enabled(phase == "train"):
    out = net(x)
with torch.set_grad_enabled(True):
    out = net(x)
net.eval()
with torch.set_grad_enabled(False):
    out = net(x)

# case: a torch.hub model under no_grad
import torch
model = torch.hub.load("pytorch/vision", "resnet18", pretrained=True)
with torch.no_grad():  # expect: ML302
    out = model(batch)

# case: a torch.hub model put in eval mode
import torch
model = torch.hub.load("pytorch/vision", "resnet18", pretrained=True)
model.eval()
with torch.no_grad():
    out = model(batch)

# case: a model of Linear layers and activations only: eval() changes nothing
import torch
from torch import nn

class LinearRegressionModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.randn(1, requires_grad=True))
        self.layer = nn.Linear(1, 1)
        nn.init.zeros_(self.layer.bias)

    def forward(self, x):
        return torch.relu(self.layer(x)) * self.weights

model_0 = LinearRegressionModel()
with torch.inference_mode():
    y_preds = model_0(X_test)

# case: a Sequential of mode-free layers
import torch
import torch.nn as nn
model = nn.Sequential(nn.Linear(2, 8), nn.ReLU(), nn.Linear(8, 1))
with torch.no_grad():
    pred = model(x_test)

# case: a layer with dropout in a local class
import torch
import torch.nn as nn

class Block(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(4, 4)
        self.drop = nn.Dropout(0.1)

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = Block()
        self.out = nn.Linear(4, 1)

net = Net()
with torch.no_grad():  # expect: ML302
    net(x)

# case: recurrent dropout and functional dropout depend on the mode
import torch
import torch.nn as nn
import torch.nn.functional as F

class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(8, 8, num_layers=2, dropout=0.3)

class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(8, 2)

    def forward(self, x):
        return F.dropout(self.fc(x), training=self.training)

tagger = Tagger()
head = Head()
with torch.no_grad():  # expect: ML302
    tagger(x)
    head(x)

# case: a layer of another library may hold batch norm
import torch
import torch.nn as nn
import torchvision

class Classifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = torchvision.models.resnet18()
        self.fc = nn.Linear(1000, 2)

clf = Classifier()
with torch.no_grad():  # expect: ML302
    clf(images)

# case: a Sequential of a list the file fills with mode-free layers
import torch
import torch.nn as nn
all_layers = [nn.Flatten()]
for hidden_unit in hidden_units:
    layer = nn.Linear(input_size, hidden_unit)
    all_layers.append(layer)
    all_layers.append(nn.ReLU())
model = nn.Sequential(*all_layers)
with torch.no_grad():
    pred = model(x_test)

# case: a Sequential of a list holding dropout
import torch
import torch.nn as nn
layers = [nn.Linear(4, 8)]
layers.append(nn.Dropout(0.5))
model = nn.Sequential(*layers)
with torch.no_grad():  # expect: ML302
    pred = model(x_test)

# case: a Sequential of a list from elsewhere
import torch
import torch.nn as nn
model = nn.Sequential(*make_layers())
with torch.no_grad():  # expect: ML302
    pred = model(x_test)
