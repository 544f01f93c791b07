# rules: ML602

# case: random forest with hardcoded depth and size
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(n_estimators=500, max_depth=12, random_state=0)  # expect: ML602
model.fit(X, y)

# case: torch optimizer with learning rate and momentum
import torch
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)  # expect: ML602

# case: optimizer with positional learning rate
from torch import optim
opt = optim.Adam(net.parameters(), 3e-4, weight_decay=1e-2)  # expect: ML602

# case: xgboost classifier
import xgboost as xgb
clf = xgb.XGBClassifier(learning_rate=0.05, max_depth=6, n_jobs=-1)  # expect: ML602

# case: Hugging Face training arguments
from transformers import TrainingArguments
args = TrainingArguments(output_dir="out", learning_rate=2e-5, num_train_epochs=3, logging_steps=10)  # expect: ML602

# case: Keras optimizer
from tensorflow import keras
opt = keras.optimizers.Adam(learning_rate=1e-3, beta_1=0.8)  # expect: ML602

# case: Lightning trainer
import lightning as L
trainer = L.Trainer(max_epochs=20, gradient_clip_val=0.5, devices=1)  # expect: ML602

# case: a lowercase name is not a configuration
import lightgbm as lgb
num_leaves = "many"
model = lgb.LGBMRegressor(num_leaves=63, learning_rate=-0.1)  # expect: ML602

# case: a SEED constant alone is not a configuration
from sklearn.svm import SVC
SEED = 42
clf = SVC(C=10.0, gamma=0.01, random_state=SEED)  # expect: ML602

# case: notebook without a constants cell
# cell
from sklearn.ensemble import GradientBoostingRegressor
# cell
reg = GradientBoostingRegressor(n_estimators=300, learning_rate=0.05)  # expect: ML602
reg.fit(X, y)

# case: one literal hyperparameter only
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(n_estimators=100, random_state=0, n_jobs=-1)

# case: argparse configures the file
import argparse
import torch
parser = argparse.ArgumentParser()
args = parser.parse_args()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)

# case: module-level constants
import torch
LEARNING_RATE = 1e-3
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.01)

# case: a loaded YAML config
import yaml
from sklearn.ensemble import RandomForestClassifier
config = yaml.safe_load(open("config.yaml"))
model = RandomForestClassifier(n_estimators=500, max_depth=12)

# case: environment variables
import os
import torch
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
epochs = int(os.environ["EPOCHS"])

# case: a dataclass config
from dataclasses import dataclass
import torch

@dataclass
class TrainConfig:
    lr: float = 0.1

optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

# case: Kaggle-style CFG class
import torch

class CFG:
    lr = 1e-3
    epochs = 10

optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, eps=1e-8)

# case: hyperparameters from variables
import torch
optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum)

# case: run settings are not hyperparameters
from sklearn.linear_model import LogisticRegression
clf = LogisticRegression(C=0.5, max_iter=1000, random_state=0, n_jobs=4, verbose=1)

# case: a transformer is not a model
from sklearn.decomposition import PCA
pca = PCA(n_components=10, iterated_power=7)

# case: keyword arguments from a dict
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(**best_params, n_estimators=500, max_depth=3)

# case: notebook with a cell of constants
# cell
from sklearn.ensemble import GradientBoostingRegressor
# cell
n_estimators = 300
learning_rate = 0.05
# cell
reg = GradientBoostingRegressor(n_estimators=300, learning_rate=0.05)
reg.fit(X, y)

# case: optuna search
import optuna
import torch

def objective(trial):
    return torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)

# case: one finding per file, on the first constructor
import torch
from sklearn.cluster import KMeans
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)  # expect: ML602
scheduler = torch.optim.SGD(other.parameters(), lr=0.02, momentum=0.8)
km = KMeans(n_clusters=8, n_init=10)

# case: a Keras learning-rate schedule is not an optimizer
from tensorflow import keras
schedule = keras.optimizers.schedules.ExponentialDecay(initial_learning_rate=0.1, decay_steps=100, decay_rate=0.96)
