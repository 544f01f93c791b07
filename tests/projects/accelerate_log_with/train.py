import torch
from accelerate import Accelerator

accelerator = Accelerator(log_with="wandb")
for x, y in loader:
    optimizer.zero_grad()
    accelerator.backward(loss_fn(model(x), y))
    loss_fn(model(x), y).backward()
    optimizer.step()
