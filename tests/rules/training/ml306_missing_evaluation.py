# rules: ML306

# case: sklearn estimator
from sklearn.ensemble import RandomForestClassifier
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)  # expect: ML306
predictions = model.predict(X_test)

# case: module alias
from sklearn import svm
clf = svm.SVC()
clf.fit(X, y)  # expect: ML306

# case: pipeline ending in an estimator
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler
from sklearn.linear_model import LogisticRegression as LR
pipe = make_pipeline(StandardScaler(), LR())
pipe.fit(X, y)  # expect: ML306

# case: the first training call, after a transformer fit
from sklearn.preprocessing import StandardScaler
from xgboost import XGBClassifier
scaler = StandardScaler().fit(X)
booster = XGBClassifier().fit(scaler.transform(X), y)  # expect: ML306

# case: keras fit
from tensorflow import keras
model = keras.Sequential([keras.layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=5)  # expect: ML306

# case: keras model built by a helper
import tensorflow as tf
model = build()
model.compile(optimizer="adam", loss="mse")
model.fit(X, y)  # expect: ML306

# case: hugging face trainer
from transformers import Trainer
trainer = Trainer(model=model, args=args, train_dataset=train)
trainer.train()  # expect: ML306

# case: torch loop
import torch
for x, y in loader:
    optimizer.zero_grad()
    loss_fn(model(x), y).backward()  # expect: ML306
    optimizer.step()

# case: residuals only plotted (not an evaluation)
from sklearn.svm import SVR
m = SVR().fit(X, y)  # expect: ML306
plt.plot(m.predict(Xt) - yt)

# case: loop over candidate estimators
from sklearn.svm import SVC
from sklearn.tree import DecisionTreeClassifier
for name, clf in [("svc", SVC()), ("tree", DecisionTreeClassifier())]:
    clf.fit(X, y)  # expect: ML306

# case: a sklearn metric
from sklearn.svm import SVC
from sklearn.metrics import f1_score
m = SVC().fit(X, y)
print(f1_score(yt, m.predict(Xt)))

# case: metrics module
from sklearn import metrics
from sklearn.svm import SVC
m = SVC().fit(X, y)
metrics.accuracy_score(yt, m.predict(Xt))

# case: .score
from sklearn.svm import SVC
m = SVC().fit(X, y)
print(m.score(Xt, yt))

# case: cross_val_score
from sklearn.svm import SVC
from sklearn.model_selection import cross_val_score
cross_val_score(SVC(), X, y)
SVC().fit(X, y)

# case: a search
from sklearn.svm import SVC
from sklearn.model_selection import GridSearchCV
GridSearchCV(SVC(), {'C': [1, 10]}).fit(X, y)

# case: keras validation_split
from tensorflow import keras
m = keras.Sequential([])
m.fit(X, y, validation_split=0.2)

# case: keras compile metrics
from tensorflow import keras
m = keras.Sequential([])
m.compile(loss='mse', metrics=['mae'])
m.fit(X, y)

# case: keras evaluate
from tensorflow import keras
m = keras.Sequential([])
m.fit(X, y)
m.evaluate(Xt, yt)

# case: xgboost eval_set
from xgboost import XGBRegressor
XGBRegressor().fit(X, y, eval_set=[(Xv, yv)])

# case: trainer compute_metrics
from transformers import Trainer
Trainer(model=m, args=a, compute_metrics=f).train()

# case: trainer evaluate
from transformers import Trainer
t = Trainer(model=m)
t.train()
t.evaluate()

# case: torchmetrics
import torch
import torchmetrics
for x in data:
    loss(x).backward()

# case: evaluate.load
import evaluate
from transformers import Trainer
acc = evaluate.load('accuracy')
Trainer(model=m).train()

# case: transformer fit only
from sklearn.preprocessing import StandardScaler
StandardScaler().fit(X)

# case: sampler fit_resample only
from imblearn.over_sampling import SMOTE
X2, y2 = SMOTE().fit_resample(X, y)

# case: unknown receiver
import sklearn
def train(model, X, y):
    model.fit(X, y)

# case: estimator from another file
import sklearn
from models import build
m = build()
m.fit(X, y)

# case: accuracy by hand (refinement)
from sklearn.svm import SVC
m = SVC().fit(X, y)
y_pred = m.predict(Xt)
print(np.mean(y_pred == yt))

# case: squared error by hand (refinement)
from sklearn.svm import SVR
m = SVR().fit(X, y)
y_pred = m.predict(Xt)
mse = ((yt - y_pred) ** 2).mean()

# case: torch accuracy by hand (refinement)
import torch
for x, y in loader:
    loss(x).backward()
correct += pred.eq(target).sum().item()

# case: no training at all
import pandas as pd
df = pd.read_csv('x.csv')

# case: one finding per file, on the first training call
from sklearn.svm import SVC
SVC().fit(X, y)  # expect: ML306
SVC().fit(X, y)

# case: notebook: the training call in a later cell
# cell
from sklearn.svm import SVC
# cell
clf = SVC()
clf.fit(X, y)  # expect: ML306

# case: a hand-written validation loop under eval() and no_grad() evaluates
import torch
torch.manual_seed(0)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for x, y in train_loader:
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    model.eval()
    for x, y in val_loader:
        with torch.no_grad():
            val_loss = loss_fn(model(x), y)
    model.train()

# case: no_grad over the training data only is not an evaluation
import torch
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for x, y in train_loader:
    opt.zero_grad()
    loss_fn(model(x), y).backward()  # expect: ML306
    opt.step()
with torch.no_grad():
    embeddings = model(x_train)

# case: a Lightning module's validation_step evaluates
import lightning as L
import torch

class Classifier(L.LightningModule):
    def training_step(self, batch, batch_idx):
        return self.loss(batch)

    def validation_step(self, batch, batch_idx):
        self.log("val_loss", self.loss(batch))

trainer = L.Trainer(max_epochs=3)
trainer.fit(Classifier(), datamodule=data)

# case: clustering inertia and information criteria are model-selection measures
from sklearn.cluster import KMeans
from sklearn.mixture import GaussianMixture
inertias = [KMeans(n_clusters=k, random_state=0).fit(X).inertia_ for k in range(1, 8)]
bics = [GaussianMixture(k, random_state=0).fit(X).bic(X) for k in range(1, 8)]
