import torch

from check import accuracy

optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for x, y in train_loader:
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
print(accuracy(model, test_loader))
