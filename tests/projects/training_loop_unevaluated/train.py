import torch

for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()  # expect: ML306
        optimizer.step()
torch.save(model.state_dict(), f"runs/{RUN}/model.pt")
