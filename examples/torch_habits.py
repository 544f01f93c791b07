"""A small PyTorch image classifier with four training-loop habits mlreview flags.

Expected findings (line: code, the flaw):
  17: ML105  `cudnn.benchmark = True` in a file that seeds torch: runs still differ
  42: ML602  `SGD(lr=0.05, momentum=0.9)` hardcoded, no configuration in the file (hint; opt-in)
  50: ML308  `F.cross_entropy(F.softmax(...))`: softmax applied twice (fix: pass the logits)
  53: ML303  `evaluate(model, ...)` leaves the model in eval mode for every later epoch
Done right: `model.train()` before the loop, `zero_grad()` in the batch loop, `net.eval()`
before the `no_grad()` evaluation.
"""
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.data import DataLoader

torch.manual_seed(0)
torch.backends.cudnn.benchmark = True


class SmallConvNet(nn.Module):
    def __init__(self, classes: int = 10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1))
        self.dropout = nn.Dropout(0.3)
        self.head = nn.Linear(32, classes)

    def forward(self, images):
        return self.head(self.dropout(self.features(images).flatten(1)))


def evaluate(net, loader):
    net.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in loader:
            correct += (net(images).argmax(1) == labels).sum().item()
    return correct / len(loader.dataset)


def train(train_set, val_set, epochs: int = 10):
    model = SmallConvNet()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=256)
    model.train()
    for epoch in range(epochs):
        for images, labels in train_loader:
            optimizer.zero_grad()
            logits = model(images)
            loss = F.cross_entropy(F.softmax(logits, dim=1), labels)
            loss.backward()
            optimizer.step()
        accuracy = evaluate(model, val_loader)
        print(f"epoch {epoch}: validation accuracy {accuracy:.3f}")
    return model
