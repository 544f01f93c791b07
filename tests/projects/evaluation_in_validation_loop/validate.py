import torch


def validate(model, val_loader):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            total += loss_fn(model(x), y).item()
    model.train()
    return total
