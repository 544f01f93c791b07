import torch

torch.save(model.state_dict(), "model.pt")
