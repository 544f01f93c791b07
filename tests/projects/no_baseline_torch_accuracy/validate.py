import torch


@torch.no_grad()
def accuracy(model, loader):
    hits = sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
    return hits / len(loader.dataset)
