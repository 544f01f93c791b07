import torch

optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
for x, y in loader:
    optimizer.zero_grad()
    criterion(net(x), y).backward()
    optimizer.step()
torch.save(net.state_dict(), "digits.pt")  # expect: ML605
