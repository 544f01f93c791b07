# rules: ML308

# case: functional cross_entropy of F.softmax
import torch.nn.functional as F
loss = F.cross_entropy(F.softmax(logits, dim=1), labels)  # expect: ML308
# fixed:
import torch.nn.functional as F
loss = F.cross_entropy(logits, labels)

# case: CrossEntropyLoss instance given torch.softmax
import torch
import torch.nn as nn
criterion = nn.CrossEntropyLoss()
for x, y in loader:
    loss = criterion(torch.softmax(model(x), dim=-1), y)  # expect: ML308
# fixed:
import torch
import torch.nn as nn
criterion = nn.CrossEntropyLoss()
for x, y in loader:
    loss = criterion(model(x), y)

# case: tensor softmax method
import torch.nn as nn
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(out.softmax(dim=1), target)  # expect: ML308
# fixed:
import torch.nn as nn
loss_fn = nn.CrossEntropyLoss()
loss = loss_fn(out, target)

# case: probabilities bound to a name first
import torch
import torch.nn.functional as F
probs = F.softmax(logits, dim=1)
loss = F.cross_entropy(probs, y)  # expect: ML308 (no fix)

# case: Sequential model ending in nn.Softmax
import torch
from torch import nn
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10), nn.Softmax(dim=1))
criterion = nn.CrossEntropyLoss()
for x, y in loader:
    outputs = model(x)
    loss = criterion(outputs, y)  # expect: ML308 (no fix)

# case: module whose forward returns softmax output
import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(10, 3)

    def forward(self, x):
        return F.softmax(self.fc(x), dim=1)

net = Net()
criterion = nn.CrossEntropyLoss()
loss = criterion(net(inputs), targets)  # expect: ML308 (no fix)

# case: criterion kept on self
import torch
import torch.nn as nn

class Trainer:
    def __init__(self, model):
        self.model = model
        self.criterion = nn.CrossEntropyLoss()

    def step(self, x, y):
        return self.criterion(torch.softmax(self.model(x), 1), y)  # expect: ML308

# case: nll_loss of softmax instead of log_softmax
import torch.nn.functional as F
loss = F.nll_loss(F.softmax(output, dim=1), target)  # expect: ML308
# fixed:
import torch.nn.functional as F
loss = F.nll_loss(F.log_softmax(output, dim=1), target)

# case: nn.Softmax module applied inline
import torch.nn as nn
loss = nn.CrossEntropyLoss()(nn.Softmax(dim=1)(scores), labels)  # expect: ML308
# fixed:
import torch.nn as nn
loss = nn.CrossEntropyLoss()(scores, labels)

# case: Keras Sequential with softmax output and from_logits=True
from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam",
              loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),  # expect: ML308 (no fix)
              metrics=["accuracy"])

# case: Keras model built with add and a Softmax layer
import tensorflow as tf
model = tf.keras.Sequential()
model.add(tf.keras.layers.Dense(10))
model.add(tf.keras.layers.Softmax())
loss_fn = tf.keras.losses.CategoricalCrossentropy(from_logits=True)  # expect: ML308 (no fix)
model.compile(optimizer="sgd", loss=loss_fn)

# case: logits into cross_entropy
import torch.nn.functional as F
loss = F.cross_entropy(logits, labels)

# case: log_softmax into nll_loss
import torch.nn.functional as F
loss = F.nll_loss(F.log_softmax(output, dim=1), target)

# case: soft targets from a teacher's softmax
import torch.nn.functional as F
loss = F.cross_entropy(student_logits, F.softmax(teacher_logits / T, dim=1))

# case: softmax only for reporting probabilities
import torch
import torch.nn as nn
criterion = nn.CrossEntropyLoss()
logits = model(x)
loss = criterion(logits, y)
probs = torch.softmax(logits, dim=1)

# case: Sequential without a softmax layer
import torch
from torch import nn
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
criterion = nn.CrossEntropyLoss()
loss = criterion(model(x), y)

# case: softmax rebound to logits before the loss
import torch
import torch.nn.functional as F
out = F.softmax(raw, dim=1)
out = head(raw)
loss = F.cross_entropy(out, y)

# case: forward returns softmax only at inference
import torch
import torch.nn as nn
import torch.nn.functional as F

class Net(nn.Module):
    def forward(self, x):
        logits = self.fc(x)
        if self.training:
            return logits
        return F.softmax(logits, dim=1)

net = Net()
loss = nn.CrossEntropyLoss()(net(x), y)

# case: scipy softmax into a numpy loss
from scipy.special import softmax
import torch
loss = cross_entropy(softmax(scores), labels)

# case: Keras softmax output with from_logits=False
from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=False))

# case: Keras logits output with from_logits=True
from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([layers.Dense(64, activation="relu"), layers.Dense(10)])
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))

# case: binary cross entropy of a sigmoid
import torch
import torch.nn.functional as F
loss = F.binary_cross_entropy(torch.sigmoid(logits), y)

# case: a softmax method of the module itself, through nll_loss
import torch
import torch.nn as nn
import torch.nn.functional as F

class Classifier(nn.Module):
    def softmax(self, x):
        return torch.exp(x) / torch.exp(x).sum(1, keepdim=True)

    def loss(self, x, y):
        return F.nll_loss(self.softmax(self.fc(x)), y)  # expect: ML308 (no fix)
