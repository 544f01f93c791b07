import torch

state = torch.load("model.pt")  # torch >= 2.6 loads weights only by default
unsafe = torch.load("model.pt", weights_only=False)  # expect: ML501
