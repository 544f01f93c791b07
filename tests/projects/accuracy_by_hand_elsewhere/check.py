import torch


@torch.no_grad()
def accuracy(model, loader):
    hits = total = 0
    for x, y in loader:
        hits += (model(x).argmax(dim=1) == y).sum().item()
        total += len(y)
    return hits / total
