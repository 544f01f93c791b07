import torch

with torch.no_grad():
    for name, weight in model.named_parameters():
        print(name, weight.norm())
