"""ML1 reproducibility rules: ML101 split-without-seed, ML102 estimator-without-seed,
ML103 global-rng-unseeded, ML104 framework-unseeded, and their fixes.

Sources mark each line that must carry a finding with `# <-`; every other line must not.
"""

from __future__ import annotations

import json
import textwrap

import pytest
from mlreview.engine import analyse_source, analyse_text
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits
from mlreview.parse.source import notebook_source
from support import assert_fix_contract, findings, fix_all


def marked_lines(source: str) -> list[int]:
    return [n for n, line in enumerate(textwrap.dedent(source).splitlines(), 1) if "# <-" in line]


def lines_of(source: str, code: str) -> list[int]:
    return [f.span.line for f in findings(source, code)]


def check_marks(source: str, code: str) -> None:
    assert lines_of(source, code) == marked_lines(source), textwrap.dedent(source)


def notebook(*cells: str) -> str:
    return json.dumps({
        "cells": [
            {"cell_type": "markdown", "metadata": {}, "source": ["# Title\n"]},
            *({"cell_type": "code", "metadata": {}, "source": textwrap.dedent(c), "outputs": [],
               "execution_count": None} for c in cells),
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def notebook_findings(raw: str, code: str):
    source = notebook_source(raw)
    return [f for f in analyse_source(source).findings if f.code == code], source


# ----- ML101 split-without-seed --------------------------------------------------------------

ML101_POSITIVES = {
    "train_test_split": """
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X, test_size=0.2)  # <-
    """,
    "aliased function": """
        from sklearn.model_selection import train_test_split as tts
        a, b, c, d = tts(X, y)  # <-
    """,
    "module alias": """
        import sklearn.model_selection as ms
        cv = ms.ShuffleSplit(n_splits=3)  # <-
    """,
    "from sklearn import module": """
        from sklearn import model_selection
        cv = model_selection.KFold(n_splits=5, shuffle=True)  # <-
    """,
    "stratified kfold with shuffle": """
        from sklearn.model_selection import StratifiedKFold
        for train, test in StratifiedKFold(5, shuffle=True).split(X, y):  # <-
            pass
    """,
    "repeated splitters are always random": """
        from sklearn.model_selection import RepeatedKFold, RepeatedStratifiedKFold, GroupShuffleSplit
        a = RepeatedKFold(n_splits=5)  # <-
        b = RepeatedStratifiedKFold()  # <-
        c = GroupShuffleSplit(test_size=0.3)  # <-
    """,
    "dataframe shuffle kept": """
        import pandas as pd
        df = pd.read_csv("data.csv")
        df = df.sample(frac=1)  # <-
    """,
    "subsample in a chain": """
        import pandas as pd
        df = pd.read_csv("data.csv")
        small = df.sample(1000).reset_index(drop=True)  # <-
    """,
    "inside a function": """
        from sklearn.model_selection import StratifiedShuffleSplit
        def make_cv():
            return StratifiedShuffleSplit(n_splits=1)  # <-
    """,
}

ML101_NEGATIVES = {
    "shuffle=False": """
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X, shuffle=False)
    """,
    "random_state literal": """
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X, random_state=0)
    """,
    "random_state None is still an explicit choice": """
        from sklearn.model_selection import ShuffleSplit
        cv = ShuffleSplit(random_state=None)
    """,
    "random_state variable": """
        from sklearn.model_selection import train_test_split
        rng = 7
        X_train, X_test = train_test_split(X, random_state=rng)
    """,
    "kfold without shuffle": """
        from sklearn.model_selection import KFold, StratifiedKFold
        a = KFold(n_splits=5)
        b = StratifiedKFold(n_splits=5, shuffle=False)
    """,
    "bare sample only displays rows": """
        import pandas as pd
        df = pd.read_csv("data.csv")
        df.sample(5)
    """,
    "seeded sample": """
        import pandas as pd
        df = pd.read_csv("data.csv")
        df = df.sample(frac=1, random_state=42)
    """,
    "kwargs": """
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X, **split_options)
    """,
    "not sklearn": """
        from mylib import train_test_split
        X_train, X_test = train_test_split(X)
    """,
    "numpy's global generator seeded": """
        import numpy as np
        import pandas as pd
        from sklearn.model_selection import train_test_split
        np.random.seed(0)
        X_train, X_test = train_test_split(X)
        df = pd.read_csv("data.csv").sample(frac=1)
    """,
    "random.Random sample": """
        import random
        import pandas as pd
        rng = random.Random(0)
        picked = rng.sample(range(10), 3)
    """,
}


@pytest.mark.parametrize("source", ML101_POSITIVES.values(), ids=ML101_POSITIVES.keys())
def test_ml101_flags(source):
    assert marked_lines(source)
    check_marks(source, "ML101")


@pytest.mark.parametrize("source", ML101_NEGATIVES.values(), ids=ML101_NEGATIVES.keys())
def test_ml101_silent(source):
    assert lines_of(source, "ML101") == []


# ----- ML102 estimator-without-seed ----------------------------------------------------------

ML102_POSITIVES = {
    "random forest": """
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(n_estimators=100)  # <-
    """,
    "aliased class": """
        from sklearn.ensemble import RandomForestClassifier as RFC
        model = RFC()  # <-
    """,
    "module alias": """
        import sklearn.ensemble as ens
        model = ens.GradientBoostingRegressor(max_depth=3)  # <-
    """,
    "from sklearn import module": """
        from sklearn import ensemble, cluster, mixture
        a = ensemble.ExtraTreesClassifier()  # <-
        b = cluster.MiniBatchKMeans(n_clusters=3)  # <-
        c = mixture.BayesianGaussianMixture()  # <-
    """,
    "random solvers and probability": """
        from sklearn.linear_model import LogisticRegression
        from sklearn.svm import SVC, NuSVC, LinearSVC
        a = LogisticRegression(solver="saga")  # <-
        b = LogisticRegression(solver="liblinear", C=0.1)  # <-
        c = SVC(probability=True)  # <-
        d = NuSVC(probability=True)  # <-
        e = LinearSVC()  # <-
    """,
    "inside a pipeline": """
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import SGDClassifier
        pipe = make_pipeline(StandardScaler(), SGDClassifier())  # <-
    """,
    "many families": """
        from sklearn.neural_network import MLPClassifier
        from sklearn.manifold import TSNE
        from sklearn.decomposition import TruncatedSVD, NMF
        from sklearn.cluster import KMeans
        from sklearn.ensemble import IsolationForest, HistGradientBoostingClassifier
        from sklearn.tree import DecisionTreeRegressor
        from sklearn.model_selection import RandomizedSearchCV
        a = MLPClassifier(hidden_layer_sizes=(10,))  # <-
        b = TSNE(n_components=2)  # <-
        c = TruncatedSVD(50)  # <-
        d = NMF(5)  # <-
        e = KMeans(n_clusters=8)  # <-
        f = IsolationForest()  # <-
        g = HistGradientBoostingClassifier()  # <-
        h = DecisionTreeRegressor(max_depth=4)  # <-
        search = RandomizedSearchCV(h, {"max_depth": [2, 4]}, n_iter=2)  # <-
    """,
    "boosting libraries": """
        import xgboost as xgb
        from lightgbm import LGBMRegressor
        from catboost import CatBoostClassifier
        a = xgb.XGBClassifier(n_estimators=50)  # <-
        b = LGBMRegressor()  # <-
        c = CatBoostClassifier(iterations=10)  # <-
    """,
    "imblearn samplers": """
        from imblearn.over_sampling import SMOTE, ADASYN, RandomOverSampler
        from imblearn.under_sampling import RandomUnderSampler
        X_res, y_res = SMOTE().fit_resample(X, y)  # <-
        a = ADASYN()  # <-
        b = RandomOverSampler()  # <-
        c = RandomUnderSampler()  # <-
    """,
    "stdlib seed does not seed sklearn": """
        import random
        from sklearn.ensemble import BaggingClassifier
        random.seed(0)
        model = BaggingClassifier()  # <-
    """,
}

ML102_NEGATIVES = {
    "random_state literal": """
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(n_estimators=100, random_state=0)
    """,
    "random_state None": """
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(random_state=None)
    """,
    "random_state variable": """
        import numpy as np
        from sklearn.cluster import KMeans
        rng = np.random.RandomState(0)
        model = KMeans(n_clusters=3, random_state=rng)
    """,
    "deterministic estimators": """
        from sklearn.linear_model import LinearRegression, Ridge, LogisticRegression
        from sklearn.preprocessing import StandardScaler
        from sklearn.svm import SVC
        from sklearn.decomposition import PCA
        a = LinearRegression()
        b = Ridge(alpha=1.0)
        c = LogisticRegression(max_iter=1000)
        d = LogisticRegression(solver="lbfgs")
        e = StandardScaler()
        f = SVC(kernel="rbf")
        g = SVC(probability=False)
        h = PCA(n_components=2)
    """,
    "solver not known statically": """
        from sklearn.linear_model import LogisticRegression
        model = LogisticRegression(solver=chosen_solver)
    """,
    "kwargs": """
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(**params)
    """,
    "boosting seeds under their own names": """
        import xgboost as xgb
        import lightgbm as lgb
        from catboost import CatBoostRegressor, CatBoost
        a = xgb.XGBRegressor(seed=1)
        b = lgb.LGBMClassifier(seed=1)
        c = CatBoostRegressor(random_seed=0)
        d = CatBoost({"random_seed": 0})
    """,
    "not imported from a library": """
        class RandomForestClassifier:
            pass
        model = RandomForestClassifier()
    """,
    "documented deterministic configurations": """
        from sklearn.svm import LinearSVC
        from sklearn.cluster import KMeans
        from sklearn.linear_model import SGDClassifier
        a = LinearSVC(dual=False)
        b = KMeans(n_clusters=3, init=centres, n_init=1)
        c = SGDClassifier(shuffle=False)
    """,
    "base estimator reseeded by the ensemble": """
        from sklearn.ensemble import AdaBoostClassifier, BaggingRegressor
        from sklearn.tree import DecisionTreeClassifier, DecisionTreeRegressor
        a = AdaBoostClassifier(DecisionTreeClassifier(max_depth=1), random_state=0)
        b = BaggingRegressor(estimator=DecisionTreeRegressor(), random_state=0)
    """,
    "numpy's global generator seeded": """
        import numpy as np
        from sklearn.ensemble import RandomForestClassifier
        np.random.seed(0)
        model = RandomForestClassifier()
    """,
    "seeded later through set_params": """
        from sklearn.cluster import KMeans
        km = KMeans(n_clusters=4)
        for seed in range(3):
            km.set_params(random_state=seed)
    """,
}


@pytest.mark.parametrize("source", ML102_POSITIVES.values(), ids=ML102_POSITIVES.keys())
def test_ml102_flags(source):
    assert marked_lines(source)
    check_marks(source, "ML102")


@pytest.mark.parametrize("source", ML102_NEGATIVES.values(), ids=ML102_NEGATIVES.keys())
def test_ml102_silent(source):
    assert lines_of(source, "ML102") == []


def test_ml102_in_a_notebook():
    raw = notebook(
        "from sklearn.ensemble import RandomForestClassifier\n",
        "x = 1\nmodel = RandomForestClassifier()\n",
    )
    found, source = notebook_findings(raw, "ML102")
    assert len(found) == 1
    cell = source.cell_at(found[0].span.line)
    assert (cell.index, found[0].span.line - cell.first_line + 1) == (3, 2)


# ----- ML103 global-rng-unseeded -------------------------------------------------------------

ML103_POSITIVES = {
    "numpy legacy sampler": """
        import numpy as np
        noise = np.random.randn(100)  # <-
    """,
    "own alias": """
        import numpy as onp
        idx = onp.random.permutation(10)  # <-
    """,
    "numpy.random module alias": """
        from numpy import random as npr
        x = npr.uniform(size=3)  # <-
    """,
    "imported sampler": """
        from numpy.random import choice
        keep = choice(100, size=10)  # <-
    """,
    "stdlib random": """
        import random
        items = list(range(10))
        random.shuffle(items)  # <-
    """,
    "stdlib imported function": """
        from random import randint
        k = randint(0, 10)  # <-
    """,
    "only the first use per generator": """
        import numpy as np
        import random
        a = np.random.rand(3)  # <-
        b = np.random.normal(size=3)
        c = random.random()  # <-
        d = random.choice([1, 2])
    """,
    "seeded only after the use": """
        import numpy as np
        a = np.random.binomial(10, 0.5)  # <-
        np.random.seed(0)
    """,
    "inside a function of a file that never seeds": """
        import numpy as np
        def jitter(x):
            return x + np.random.normal(scale=0.1, size=x.shape)  # <-
    """,
    "the other generator is seeded": """
        import numpy as np
        import random
        np.random.seed(0)
        a = np.random.rand()
        b = random.gauss(0, 1)  # <-
    """,
    "unseeded generators, each one": """
        import numpy as np
        rng = np.random.default_rng()  # <-
        other = np.random.default_rng(None)  # <-
        legacy = np.random.RandomState()  # <-
    """,
    "default_rng is not seeded by np.random.seed": """
        import numpy as np
        np.random.seed(0)
        rng = np.random.default_rng()  # <-
    """,
    "seed() without a value reseeds from the OS": """
        import numpy as np
        np.random.seed()
        x = np.random.poisson(3)  # <-
    """,
}

ML103_NEGATIVES = {
    "numpy seeded first": """
        import numpy as np
        np.random.seed(42)
        noise = np.random.randn(100)
    """,
    "stdlib seeded first": """
        import random
        random.seed(1)
        random.shuffle(items)
    """,
    "seeded generators": """
        import numpy as np
        SEED = 3
        a = np.random.default_rng(0).normal()
        b = np.random.default_rng(seed=SEED)
        c = np.random.RandomState(42).rand(3)
        d = np.random.default_rng(**options)
    """,
    "use in a function, seeded in the main block": """
        import numpy as np
        def augment(x):
            return x + np.random.normal(size=x.shape)
        if __name__ == "__main__":
            np.random.seed(0)
            augment(load())
    """,
    "use in a function, seeded in main()": """
        import random
        def pick(xs):
            return random.choice(xs)
        def main():
            random.seed(7)
            print(pick([1, 2, 3]))
    """,
    "local seeding helper": """
        import numpy as np
        import random
        def seed_everything(seed):
            random.seed(seed)
            np.random.seed(seed)
        seed_everything(0)
        a = np.random.rand()
        b = random.random()
    """,
    "library helpers that seed everything": """
        import numpy as np
        import random
        from lightning.pytorch import seed_everything
        seed_everything(42)
        a = np.random.rand()
        b = random.random()
    """,
    "transformers set_seed": """
        import numpy as np
        import transformers
        transformers.set_seed(0)
        a = np.random.rand()
    """,
    "project helper named like a seeder": """
        import numpy as np
        from utils import set_seed
        set_seed(1)
        a = np.random.rand()
    """,
    "generator objects are not the global RNG": """
        import numpy as np
        import random
        rng = np.random.default_rng(0)
        a = rng.normal(size=3)
        b = random.Random(0).random()
    """,
    "imported seed function": """
        from numpy.random import seed, rand
        seed(0)
        a = rand(3)
    """,
}


@pytest.mark.parametrize("source", ML103_POSITIVES.values(), ids=ML103_POSITIVES.keys())
def test_ml103_flags(source):
    assert marked_lines(source)
    check_marks(source, "ML103")


@pytest.mark.parametrize("source", ML103_NEGATIVES.values(), ids=ML103_NEGATIVES.keys())
def test_ml103_silent(source):
    assert lines_of(source, "ML103") == []


def test_ml103_in_a_notebook_seed_in_an_earlier_cell():
    raw = notebook("import numpy as np\nnp.random.seed(0)\n", "x = np.random.rand(3)\n")
    assert notebook_findings(raw, "ML103")[0] == []
    raw = notebook("import numpy as np\n", "x = np.random.rand(3)\n", "np.random.seed(0)\n")
    found, source = notebook_findings(raw, "ML103")
    assert [source.cell_at(f.span.line).index for f in found] == [3]


def test_ml103_without_a_module_alias_has_no_fix():
    source = """
        from numpy.random import choice
        keep = choice(100, size=10)
    """
    (finding,) = findings(source, "ML103")
    assert not finding.fixable


# ----- ML104 framework-unseeded --------------------------------------------------------------

TORCH_HEADER = """
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader
"""

ML104_POSITIVES = {
    "shuffling DataLoader": TORCH_HEADER + """
    loader = DataLoader(train_set, batch_size=32, shuffle=True)  # <-
    """,
    "backward in a loop": TORCH_HEADER + """
    model = nn.Linear(3, 1)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in batches:
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()  # <-
        opt.step()
    """,
    "one finding per file, on the first use": TORCH_HEADER + """
    loader = DataLoader(train_set, shuffle=True)  # <-
    for x, y in loader:
        loss = criterion(model(x), y)
        loss.backward()
    """,
    "seeded only after the first use": TORCH_HEADER + """
    loader = DataLoader(train_set, shuffle=True)  # <-
    torch.manual_seed(0)
    """,
    "numpy seed does not seed torch": """
    import numpy as np
    import torch
    from torch.utils.data import DataLoader
    np.random.seed(0)
    loader = DataLoader(data, shuffle=True)  # <-
    """,
    "use inside a function of a file that never seeds torch": TORCH_HEADER + """
    def train(model, data):
        for x, y in DataLoader(data, shuffle=True):  # <-
            pass
    """,
    "lightning module trained by a Trainer": """
    import lightning as L
    import torch.nn as nn
    class Classifier(L.LightningModule):
        def __init__(self):
            super().__init__()
            self.net = nn.Linear(4, 2)
    model = Classifier()  # <-
    trainer = L.Trainer(max_epochs=3)
    trainer.fit(model, datamodule=dm)
    """,
    "nn.Module subclass given to an optimizer": TORCH_HEADER + """
    class Base(nn.Module):
        pass
    class Net(Base):
        pass
    model = Net().to("cuda")  # <-
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    """,
    "keras fit of a compiled model": """
    import tensorflow as tf
    model = build_model()
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y, epochs=5)  # <-
    """,
    "keras Sequential": """
    from tensorflow import keras
    model = keras.Sequential([keras.layers.Dense(1)])
    history = model.fit(X, y)  # <-
    """,
    "tf.data shuffle": """
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices((X, y))
    ds = ds.shuffle(1000).batch(32)  # <-
    """,
    "hugging face head initialised before the Trainer": """
    from transformers import AutoModelForSequenceClassification, Trainer, TrainingArguments
    model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)  # <-
    trainer = Trainer(model=model, args=TrainingArguments("out"), train_dataset=train_ds)
    trainer.train()
    """,
    "any *For<Task> class": """
    import transformers
    model = transformers.BertForTokenClassification.from_pretrained("bert-base-cased")  # <-
    trainer = transformers.Trainer(model=model)
    """,
}

ML104_NEGATIVES = {
    "torch seeded first": TORCH_HEADER + """
    torch.manual_seed(0)
    loader = DataLoader(train_set, shuffle=True)
    """,
    "no shuffling, no training": TORCH_HEADER + """
    loader = DataLoader(test_set, batch_size=64)
    other = DataLoader(test_set, shuffle=False)
    with torch.no_grad():
        preds = [model(x) for x in loader]
    """,
    "module built but never trained": TORCH_HEADER + """
    class Net(nn.Module):
        pass
    model = Net()
    model.load_state_dict(torch.load("w.pt", weights_only=True))
    """,
    "tensorflow seeded": """
    import tensorflow as tf
    tf.random.set_seed(1)
    model.compile(optimizer="adam", loss="mse")
    model.fit(X, y)
    """,
    "keras set_random_seed": """
    import keras
    keras.utils.set_random_seed(1)
    model = keras.Sequential([keras.layers.Dense(1)])
    model.fit(X, y)
    """,
    "lightning seed_everything": """
    import pytorch_lightning as pl
    import torch
    pl.seed_everything(7)
    loss.backward()
    """,
    "use in a function, seeded in the main block": TORCH_HEADER + """
    def train(data):
        for x, y in DataLoader(data, shuffle=True):
            loss(x, y).backward()
    if __name__ == "__main__":
        torch.manual_seed(0)
        train(load())
    """,
    "local seeding helper": TORCH_HEADER + """
    def fix_seeds(seed):
        torch.manual_seed(seed)
    fix_seeds(1)
    loader = DataLoader(train_set, shuffle=True)
    """,
    "hugging face Trainer alone": """
    from transformers import AutoModelForSequenceClassification, Trainer
    def model_init():
        return AutoModelForSequenceClassification.from_pretrained("bert-base-uncased")
    trainer = Trainer(model_init=model_init, args=args)
    plain = Trainer(model=existing_model, args=args)
    """,
    "hugging face seeded first": """
    from transformers import AutoModelForSequenceClassification, Trainer, set_seed
    set_seed(42)
    model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
    trainer = Trainer(model=model)
    """,
    "hugging face model without a new head": """
    from transformers import AutoModel, Trainer
    model = AutoModel.from_pretrained("bert-base-uncased")
    trainer = Trainer(model=model)
    """,
    "sklearn fit in a tensorflow file": """
    import tensorflow as tf
    from sklearn.linear_model import LinearRegression
    reg = LinearRegression()
    reg.fit(X, y)
    """,
    "seeded tf.data shuffle and other shuffles": """
    import numpy as np
    import tensorflow as tf
    ds = tf.data.Dataset.from_tensor_slices(X).shuffle(100, seed=1)
    np.random.shuffle(rows)
    items.shuffle()
    """,
}


@pytest.mark.parametrize("source", ML104_POSITIVES.values(), ids=ML104_POSITIVES.keys())
def test_ml104_flags(source):
    assert len(marked_lines(source)) == 1
    check_marks(source, "ML104")


@pytest.mark.parametrize("source", ML104_NEGATIVES.values(), ids=ML104_NEGATIVES.keys())
def test_ml104_silent(source):
    assert lines_of(source, "ML104") == []


def test_ml104_in_a_notebook():
    raw = notebook(
        "import torch\nfrom torch.utils.data import DataLoader\n",
        "model = make_model()\n",
        "for x, y in DataLoader(ds, shuffle=True):\n    loss_fn(model(x), y).backward()\n",
    )
    found, source = notebook_findings(raw, "ML104")
    assert len(found) == 1
    cell = source.cell_at(found[0].span.line)
    assert (cell.index, found[0].span.line - cell.first_line + 1) == (4, 1)
    seeded = notebook("import torch\ntorch.manual_seed(0)\n", "loss.backward()\n")
    assert notebook_findings(seeded, "ML104")[0] == []


# ----- Fixes -----------------------------------------------------------------------------------

FIXABLE = [
    ("ML101", ML101_POSITIVES["train_test_split"]),
    ("ML101", ML101_POSITIVES["dataframe shuffle kept"]),
    ("ML102", ML102_POSITIVES["aliased class"]),
    ("ML102", ML102_POSITIVES["many families"]),
    ("ML102", ML102_POSITIVES["boosting libraries"]),
    ("ML103", ML103_POSITIVES["own alias"]),
    ("ML103", ML103_POSITIVES["numpy.random module alias"]),
    ("ML103", ML103_POSITIVES["only the first use per generator"]),
    ("ML103", ML103_POSITIVES["unseeded generators, each one"]),
    ("ML103", ML103_POSITIVES["inside a function of a file that never seeds"]),
    ("ML104", ML104_POSITIVES["shuffling DataLoader"]),
    ("ML104", ML104_POSITIVES["lightning module trained by a Trainer"]),
    ("ML104", ML104_POSITIVES["keras fit of a compiled model"]),
    ("ML104", ML104_POSITIVES["keras Sequential"]),
    ("ML104", ML104_POSITIVES["hugging face head initialised before the Trainer"]),
    ("ML104", ML104_POSITIVES["any *For<Task> class"]),
]


@pytest.mark.parametrize("code, source", FIXABLE, ids=[f"{c}-{i}" for i, (c, _) in enumerate(FIXABLE)])
def test_fix_contract(code, source):
    assert_fix_contract(source, code)


def fixed(source: str) -> str:
    return fix_all(textwrap.dedent(source))


def test_several_fixes_share_one_seed_constant():
    source = """
        import numpy as np
        import torch
        from sklearn.ensemble import RandomForestClassifier
        from sklearn.model_selection import train_test_split
        from torch.utils.data import DataLoader

        rng = np.random.default_rng()
        X_train, X_test = train_test_split(X)
        models = [RandomForestClassifier(), RandomForestClassifier(max_depth=3)]
        loader = DataLoader(data, shuffle=True)
    """
    assert sorted(f.code for f in findings(source)) == ["ML101", "ML102", "ML102", "ML103", "ML104"]
    text = fixed(source)
    assert text.count("SEED = 42") == 1
    assert "rng = np.random.default_rng(SEED)" in text
    assert "train_test_split(X, random_state=SEED)" in text
    assert "[RandomForestClassifier(random_state=SEED), RandomForestClassifier(max_depth=3, random_state=SEED)]" in text
    assert "SEED = 42\ntorch.manual_seed(SEED)\n" in text
    assert [f.code for f in analyse_text(text).findings] == []


def test_global_seeds_share_one_seed_constant():
    source = """
        import random
        import numpy as np
        import torch
        from torch.utils.data import DataLoader

        order = np.random.permutation(100)
        pick = random.choice(order)
        loader = DataLoader(data, shuffle=True)
    """
    assert sorted(f.code for f in findings(source)) == ["ML103", "ML103", "ML104"]
    text = fixed(source)
    assert text.count("SEED = 42") == 1
    assert [f.code for f in analyse_text(text).findings] == []
    # the constant comes first, then the seeding calls, all before the code that draws
    lines = text.splitlines()
    seeding = ["SEED = 42", "np.random.seed(SEED)", "random.seed(SEED)", "torch.manual_seed(SEED)"]
    assert lines[lines.index("from torch.utils.data import DataLoader") + 1:][:4] == seeding


def test_existing_random_state_constant_is_reused():
    source = """
        import numpy as np
        from sklearn.cluster import KMeans

        RANDOM_STATE = 0
        noise = np.random.randn(10)
        km = KMeans(n_clusters=3)
    """
    text = fixed(source)
    assert "SEED" not in text
    assert "KMeans(n_clusters=3, random_state=RANDOM_STATE)" in text
    lines = text.splitlines()
    assert lines.index("RANDOM_STATE = 0") + 1 == lines.index("np.random.seed(RANDOM_STATE)")


def test_a_seed_named_rng_object_is_not_reused():
    source = """
        import numpy as np
        seed = np.random.RandomState(seed=3)
        noise = np.random.rand(5)
    """
    text = fixed(source)
    assert "SEED = 42\nnp.random.seed(SEED)\nseed = np.random.RandomState(seed=3)" in text


def test_no_fix_refers_to_a_seed_constant_defined_too_late():
    source = textwrap.dedent("""
        import numpy as np
        from sklearn.model_selection import train_test_split
        X_train, X_test = train_test_split(X)
        rng = np.random.default_rng()
        noise = np.random.rand(3)
        SEED = 1
        def later():
            return train_test_split(X)
    """)
    by_line = {f.span.line: f for f in analyse_text(source).findings}
    assert [line for line, f in sorted(by_line.items()) if not f.fixable] == [4, 5, 6]  # SEED comes too late
    fix = build_fix(source, by_line[9])  # a function body runs later
    assert "return train_test_split(X, random_state=SEED)" in apply_edits(source, fix.edits)


def test_seed_call_goes_after_the_first_import_of_the_alias():
    raw = notebook("import numpy as np\n", "x = np.random.rand(3)\n", "import numpy as np\ny = 1\n")
    source = notebook_source(raw)
    (finding,) = [f for f in analyse_source(source).findings if f.code == "ML103"]
    fix = build_fix(source.text, finding)
    assert apply_edits(source.text, fix.edits).startswith("import numpy as np\nSEED = 42\nnp.random.seed(SEED)\n")


def test_seed_call_goes_after_the_import_binding_the_alias():
    source = """
        import os
        DATA = os.environ["DATA"]
        import numpy as np
        x = np.random.rand(3)
    """
    text = fixed(source)
    assert text.index("import numpy as np") < text.index("np.random.seed(SEED)") < text.index("x = np.random")
    assert text.index("SEED = 42") < text.index("np.random.seed(SEED)")


def test_default_rng_fix_passes_the_seed():
    source = """
        import numpy as np
        a = np.random.default_rng()
        b = np.random.default_rng(None)
        c = np.random.default_rng(seed=None)
    """
    text = fixed(source)
    assert "a = np.random.default_rng(SEED)" in text
    assert "b = np.random.default_rng(SEED)" in text
    assert "c = np.random.default_rng(seed=SEED)" in text


def test_framework_fixes_use_the_files_names():
    torch_text = fixed("""
        import torch as T
        from torch.utils.data import DataLoader
        loader = DataLoader(ds, shuffle=True)
    """)
    assert "T.manual_seed(SEED)" in torch_text
    tf_text = fixed(ML104_POSITIVES["keras fit of a compiled model"])
    assert "tf.random.set_seed(SEED)" in tf_text
    keras_text = fixed(ML104_POSITIVES["keras Sequential"])
    assert "keras.utils.set_random_seed(SEED)" in keras_text
    hf_text = fixed(ML104_POSITIVES["hugging face head initialised before the Trainer"])
    assert "from transformers import set_seed\nset_seed(SEED)" in hf_text
    hf_alias = fixed(ML104_POSITIVES["any *For<Task> class"])
    assert "transformers.set_seed(SEED)" in hf_alias


def test_fix_keeps_a_multiline_call_layout():
    text = fixed("""
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(
            n_estimators=100,
            max_depth=4,
        )
    """)
    assert "    max_depth=4,\n    random_state=SEED,\n)" in text
    text = fixed("""
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(
            n_estimators=100, max_depth=4
        )
    """)
    assert "    n_estimators=100, max_depth=4, random_state=SEED\n)" in text


def test_seed_call_in_a_notebook_stays_in_the_import_cell():
    raw = notebook("import numpy as np\n", "x = np.random.rand(3)\n")
    source = notebook_source(raw)
    (finding,) = [f for f in analyse_source(source).findings if f.code == "ML103"]
    fix = build_fix(source.text, finding)
    import_cell = source.cells[0]
    assert all(import_cell.first_line <= e.span.line <= import_cell.last_line for e in fix.edits)
    assert apply_edits(source.text, fix.edits).startswith("import numpy as np\nSEED = 42\nnp.random.seed(SEED)\n")
