import torch

from validate import validate

for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    validate(model, val_loader)
