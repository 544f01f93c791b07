import torch

from model import Net

net = Net()
net.load_state_dict(torch.load("weights.pt", weights_only=True))
torch.onnx.export(net, torch.randn(1, 3, 224, 224), "net.onnx")  # expect: ML605
