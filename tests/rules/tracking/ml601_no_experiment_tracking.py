# rules: ML601

# case: sklearn fit
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)  # expect: ML601
print(accuracy_score(y_test, model.predict(X_test)))

# case: aliased estimator in a chained fit
from sklearn.linear_model import LogisticRegression as LR
clf = LR(max_iter=500).fit(X, y)  # expect: ML601

# case: xgboost
import xgboost as xgb
booster = xgb.XGBRegressor()
booster.fit(X, y, eval_set=[(Xv, yv)])  # expect: ML601

# case: keras fit
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse", metrics=["mae"])
model.fit(X, y, validation_split=0.1)  # expect: ML601

# case: hugging face trainer that reports to no tracker
from transformers import Trainer, TrainingArguments
trainer = Trainer(model=model, args=TrainingArguments("out", report_to="none"),
                  compute_metrics=metrics)
trainer.train()  # expect: ML601

# case: torch loop
import torch
def train(model, loader, optimizer):
    for x, y in loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()  # expect: ML601
        optimizer.step()

# case: first of several training calls
from sklearn.svm import SVC
from sklearn.dummy import DummyClassifier
baseline = DummyClassifier().fit(X, y)  # expect: ML601
model = SVC().fit(X, y)

# case: search object
from sklearn.model_selection import GridSearchCV
from sklearn.svm import SVC
search = GridSearchCV(SVC(), {"C": [1, 10]})
search.fit(X, y)  # expect: ML601

# case: pipeline whose last step is an estimator bound earlier
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.neighbors import KNeighborsClassifier
knn = KNeighborsClassifier()
pipe = Pipeline([("scale", StandardScaler()), ("knn", knn)])
pipe.fit(X, y)  # expect: ML601

# case: a mlflow import silences the rule
import mlflow

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a mlflow submodule import silences the rule
import mlflow.sklearn

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a wandb import silences the rule
import wandb

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a neptune import silences the rule
import neptune.new as neptune

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a comet_ml import silences the rule
from comet_ml import Experiment

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a clearml import silences the rule
from clearml import Task

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a dvclive import silences the rule
from dvclive import Live

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a aim import silences the rule
from aim import Run

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a sacred import silences the rule
from sacred import Experiment

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a torch tensorboard import silences the rule
from torch.utils.tensorboard import SummaryWriter

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a tensorboardX import silences the rule
from tensorboardX import SummaryWriter

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a keras TensorBoard callback import silences the rule
from keras.callbacks import TensorBoard

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a keras CSVLogger callback import silences the rule
from tensorflow.keras.callbacks import CSVLogger

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a lightning logger import silences the rule
from pytorch_lightning.loggers import WandbLogger

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: a lightning 2 logger import silences the rule
from lightning.pytorch.loggers import CSVLogger

from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))

# case: keras callback reached through the tf alias
import tensorflow as tf
model = tf.keras.Sequential([])
model.fit(X, y, callbacks=[tf.keras.callbacks.TensorBoard("logs")])

# case: lightning logger through the package alias
import torch
import pytorch_lightning as pl
logger = pl.loggers.TensorBoardLogger("logs")
for x in data:
    loss(x).backward()
    optimizer.step()

# case: only a transformer is fitted
from sklearn.preprocessing import StandardScaler
from sklearn.decomposition import PCA
X2 = PCA(n_components=2).fit(StandardScaler().fit_transform(X)).transform(X)

# case: only a sampler resamples
from imblearn.over_sampling import SMOTE
X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)

# case: pipeline ending in a transformer
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.decomposition import PCA
make_pipeline(StandardScaler(), PCA()).fit(X)

# case: unknown receiver
import sklearn
def fit_any(estimator, X, y):
    return estimator.fit(X, y)

# case: model from another workspace file
import torch
from models import make_estimator
est = make_estimator()
est.fit(X, y)

# case: adversarial attack back-propagates without training
import torch
for data, target in test_loader:
    data.requires_grad = True
    loss = F.nll_loss(model(data), target)
    model.zero_grad()
    loss.backward()
    perturbed = data + eps * data.grad.sign()

# case: backward outside any loop
import torch
x = torch.ones(2, requires_grad=True)
x.sum().backward()

# case: fit of an unrelated library
import numpy as np
from scipy.optimize import curve_fit
coeffs = np.polynomial.Polynomial.fit(x, y, 3)

# case: no ML at all
import json
print(json.dumps({}))

# case: one finding per file, on the first training call
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)  # expect: ML601
print(accuracy_score(y_test, model.predict(X_test)))
model.fit(X_all, y_all)
RandomForestClassifier().fit(X, y)

# case: notebook: the training call in a later cell
# select: ML601
# cell
from sklearn.svm import SVC
# cell
# markdown-free cell
clf = SVC().fit(X, y)  # expect: ML601
