"""ML601 no-experiment-tracking, and its agreement with ML306 on the first training call."""

from __future__ import annotations

import textwrap

import pytest
from mlreview.engine import analyse_source
from mlreview.parse.source import join_cells
from mlreview.rules.config import Settings
from support import codes, findings


def lines_of(code: str, source: str) -> list[int]:
    return [line for found, line in codes(source, code) if found == code]


SKLEARN_FIT = """
from sklearn.ensemble import RandomForestClassifier
from sklearn.metrics import accuracy_score
model = RandomForestClassifier(random_state=0)
model.fit(X_train, y_train)
print(accuracy_score(y_test, model.predict(X_test)))
"""

TRACKING_POSITIVES = {
    "sklearn fit": (SKLEARN_FIT, [5]),
    "aliased estimator in a chained fit": ("""
        from sklearn.linear_model import LogisticRegression as LR
        clf = LR(max_iter=500).fit(X, y)
        """, [3]),
    "xgboost": ("""
        import xgboost as xgb
        booster = xgb.XGBRegressor()
        booster.fit(X, y, eval_set=[(Xv, yv)])
        """, [4]),
    "keras fit": ("""
        import tensorflow as tf
        model = tf.keras.Sequential([tf.keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse", metrics=["mae"])
        model.fit(X, y, validation_split=0.1)
        """, [5]),
    "hugging face trainer": ("""
        from transformers import Trainer, TrainingArguments
        trainer = Trainer(model=model, args=TrainingArguments("out", report_to="none"),
                          compute_metrics=metrics)
        trainer.train()
        """, [5]),
    "torch loop": ("""
        import torch
        def train(model, loader, optimizer):
            for x, y in loader:
                optimizer.zero_grad()
                loss_fn(model(x), y).backward()
                optimizer.step()
        """, [6]),
    "first of several training calls": ("""
        from sklearn.svm import SVC
        from sklearn.dummy import DummyClassifier
        baseline = DummyClassifier().fit(X, y)
        model = SVC().fit(X, y)
        """, [4]),
    "search object": ("""
        from sklearn.model_selection import GridSearchCV
        from sklearn.svm import SVC
        search = GridSearchCV(SVC(), {"C": [1, 10]})
        search.fit(X, y)
        """, [5]),
    "pipeline whose last step is an estimator bound earlier": ("""
        from sklearn.pipeline import Pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.neighbors import KNeighborsClassifier
        knn = KNeighborsClassifier()
        pipe = Pipeline([("scale", StandardScaler()), ("knn", knn)])
        pipe.fit(X, y)
        """, [7]),
}


@pytest.mark.parametrize("source, expected", TRACKING_POSITIVES.values(), ids=TRACKING_POSITIVES.keys())
def test_no_tracking_is_flagged_on_the_first_training_call(source, expected):
    assert lines_of("ML601", source) == expected


TRACKERS = {
    "mlflow": "import mlflow",
    "mlflow submodule": "import mlflow.sklearn",
    "wandb": "import wandb",
    "neptune": "import neptune.new as neptune",
    "comet_ml": "from comet_ml import Experiment",
    "clearml": "from clearml import Task",
    "dvclive": "from dvclive import Live",
    "aim": "from aim import Run",
    "sacred": "from sacred import Experiment",
    "torch tensorboard": "from torch.utils.tensorboard import SummaryWriter",
    "tensorboardX": "from tensorboardX import SummaryWriter",
    "keras TensorBoard callback": "from keras.callbacks import TensorBoard",
    "keras CSVLogger callback": "from tensorflow.keras.callbacks import CSVLogger",
    "lightning logger": "from pytorch_lightning.loggers import WandbLogger",
    "lightning 2 logger": "from lightning.pytorch.loggers import CSVLogger",
}


@pytest.mark.parametrize("tracker", TRACKERS.values(), ids=TRACKERS.keys())
def test_any_tracker_import_silences_the_rule(tracker):
    assert lines_of("ML601", tracker + "\n" + SKLEARN_FIT) == []


TRACKING_NEGATIVES = {
    "keras callback reached through the tf alias": """
        import tensorflow as tf
        model = tf.keras.Sequential([])
        model.fit(X, y, callbacks=[tf.keras.callbacks.TensorBoard("logs")])
        """,
    "lightning logger through the package alias": """
        import torch
        import pytorch_lightning as pl
        logger = pl.loggers.TensorBoardLogger("logs")
        for x in data:
            loss(x).backward()
            optimizer.step()
        """,
    "only a transformer is fitted": """
        from sklearn.preprocessing import StandardScaler
        from sklearn.decomposition import PCA
        X2 = PCA(n_components=2).fit(StandardScaler().fit_transform(X)).transform(X)
        """,
    "only a sampler resamples": """
        from imblearn.over_sampling import SMOTE
        X_res, y_res = SMOTE(random_state=0).fit_resample(X, y)
        """,
    "pipeline ending in a transformer": """
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.decomposition import PCA
        make_pipeline(StandardScaler(), PCA()).fit(X)
        """,
    "unknown receiver": """
        import sklearn
        def fit_any(estimator, X, y):
            return estimator.fit(X, y)
        """,
    "model from another workspace file": """
        import torch
        from models import make_estimator
        est = make_estimator()
        est.fit(X, y)
        """,
    "adversarial attack back-propagates without training": """
        import torch
        for data, target in test_loader:
            data.requires_grad = True
            loss = F.nll_loss(model(data), target)
            model.zero_grad()
            loss.backward()
            perturbed = data + eps * data.grad.sign()
        """,
    "backward outside any loop": """
        import torch
        x = torch.ones(2, requires_grad=True)
        x.sum().backward()
        """,
    "fit of an unrelated library": """
        import numpy as np
        from scipy.optimize import curve_fit
        coeffs = np.polynomial.Polynomial.fit(x, y, 3)
        """,
    "no ML at all": "import json\nprint(json.dumps({}))\n",
}


@pytest.mark.parametrize("source", TRACKING_NEGATIVES.values(), ids=TRACKING_NEGATIVES.keys())
def test_no_tracking_look_alikes_are_silent(source):
    assert lines_of("ML601", source) == []


def test_one_finding_per_file():
    source = SKLEARN_FIT + "model.fit(X_all, y_all)\nRandomForestClassifier().fit(X, y)\n"
    assert lines_of("ML601", source) == [5]


def test_tracking_and_evaluation_agree_on_the_first_training_call():
    source = textwrap.dedent("""
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import Ridge
        scaler = StandardScaler().fit(X)
        ridge = Ridge()
        ridge.fit(scaler.transform(X), y)
        """)
    found = {f.code: f.span for f in findings(source) if f.code in ("ML306", "ML601")}
    assert found["ML306"] == found["ML601"]
    assert found["ML601"].line == 6


def test_no_tracking_in_a_notebook_points_into_its_cell():
    source = join_cells([(1, "from sklearn.svm import SVC\n"), (2, "# markdown-free cell\nclf = SVC().fit(X, y)\n")])
    result = analyse_source(source, Settings(select=("ML601",)))
    [finding] = result.findings
    cell = source.cell_at(finding.span.line)
    assert (cell.index, finding.span.line - cell.first_line + 1) == (2, 2)


def test_no_tracking_has_no_fix_and_names_the_model():
    [finding] = [f for f in findings(SKLEARN_FIT) if f.code == "ML601"]
    assert not finding.fixable
    assert "RandomForestClassifier" in finding.message
