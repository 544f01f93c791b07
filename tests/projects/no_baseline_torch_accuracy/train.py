import torch

from validate import accuracy

optimizer = torch.optim.Adam(model.parameters())
for x, y in train_loader:
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
print(accuracy(model, val_loader))  # expect: ML307
