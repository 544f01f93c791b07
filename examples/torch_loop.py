"""Train a small MLP on the features exported by prepare_features.py.

    python torch_loop.py features/train.npz features/valid.npz
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn
from sklearn.metrics import accuracy_score, f1_score
from torch.utils.data import DataLoader, TensorDataset

BATCH_SIZE = 256
EPOCHS = 30
LEARNING_RATE = 3e-4
CHECKPOINT = "checkpoint.pt"


class TabularMLP(nn.Module):
    def __init__(self, n_features, n_classes, hidden=128, dropout=0.2):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(n_features, hidden),
            nn.BatchNorm1d(hidden),
            nn.ReLU(),
            nn.Dropout(dropout),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, x):
        return self.body(x)


def load_split(path):
    arrays = np.load(path)
    features = torch.tensor(arrays["X"], dtype=torch.float32)
    labels = torch.tensor(arrays["y"], dtype=torch.long)
    return TensorDataset(features, labels)


def main(train_path, valid_path):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_set = load_split(train_path)
    valid_set = load_split(valid_path)
    train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True, drop_last=True)
    valid_loader = DataLoader(valid_set, batch_size=BATCH_SIZE)

    n_features = train_set.tensors[0].shape[1]
    n_classes = int(train_set.tensors[1].max()) + 1
    model = TabularMLP(n_features, n_classes).to(device)
    if os.path.exists(CHECKPOINT):
        # Resume an interrupted run.
        model.load_state_dict(torch.load(CHECKPOINT, map_location=device))

    optimizer = torch.optim.AdamW(model.parameters(), lr=LEARNING_RATE)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(EPOCHS):
        model.train()
        running_loss = 0.0
        for xb, yb in train_loader:
            xb, yb = xb.to(device), yb.to(device)
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
            running_loss += loss.item() * len(xb)
        print(f"epoch {epoch:02d}  train loss {running_loss / len(train_set):.4f}")

    predictions, targets = [], []
    with torch.no_grad():
        for xb, yb in valid_loader:
            logits = model.forward(xb.to(device))
            predictions.append(logits.argmax(dim=1).cpu())
            targets.append(yb)
    predictions = torch.cat(predictions).numpy()
    targets = torch.cat(targets).numpy()
    print(f"valid accuracy {accuracy_score(targets, predictions):.4f}")
    print(f"valid macro F1 {f1_score(targets, predictions, average='macro'):.4f}")

    torch.save(model.state_dict(), "model.pt")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
