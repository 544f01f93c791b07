import torch

state = torch.load("model.pt")  # expect: ML501
