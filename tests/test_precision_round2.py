"""Round-2 precision (issue 12.3/12.4): false-positive patterns and misses found in real code.

Each case marks the lines that must carry a finding of the rule with `# <-`; every other line
must carry none, so a case without marks is a look-alike that must stay silent.
"""

from __future__ import annotations

import textwrap

import pytest
from support import findings


def check(source: str, code: str) -> None:
    marked = [n for n, line in enumerate(textwrap.dedent(source).splitlines(), 1) if "# <-" in line]
    assert [f.span.line for f in findings(source, code)] == marked, textwrap.dedent(source)


def cases(code: str, table: dict[str, str]):
    return pytest.mark.parametrize("source", [pytest.param(s, id=f"{code} {name}") for name, s in table.items()])


ML102 = {
    "hist gradient boosting with early stopping": """
        from sklearn.ensemble import HistGradientBoostingRegressor
        model = HistGradientBoostingRegressor(early_stopping=True)  # <-
        model.fit(X, y)
    """,
    "hist gradient boosting by default": """
        from sklearn.ensemble import HistGradientBoostingClassifier
        model = HistGradientBoostingClassifier(max_iter=100)
        model.fit(X, y)
        other = HistGradientBoostingClassifier(early_stopping="auto")
        other.fit(X, y)
    """,
    "nmf with its default or a deterministic init": """
        from sklearn.decomposition import NMF, MiniBatchNMF
        a = NMF(n_components=5).fit(X)
        b = NMF(5, init="nndsvd").fit(X)
        c = MiniBatchNMF(5).fit(X)
    """,
    "nmf with a random init": """
        from sklearn.decomposition import NMF
        a = NMF(n_components=5, init="random").fit(X)  # <-
        b = NMF(5, init="nndsvdar").fit(X)  # <-
    """,
    "randomized pca and its relatives": """
        from sklearn.decomposition import PCA, FastICA
        from sklearn.kernel_approximation import PolynomialCountSketch
        from sklearn.random_projection import SparseRandomProjection, GaussianRandomProjection
        a = PCA(n_components=10, svd_solver="randomized").fit(X)  # <-
        b = PCA(10, svd_solver="arpack").fit(X)  # <-
        c = FastICA(n_components=3).fit(X)  # <-
        d = PolynomialCountSketch(degree=2).fit(X)  # <-
        e = SparseRandomProjection(n_components=20).fit(X)  # <-
        f = GaussianRandomProjection().fit(X)  # <-
    """,
    "exact pca": """
        from sklearn.decomposition import PCA, IncrementalPCA
        a = PCA(n_components=10).fit(X)
        b = PCA(10, svd_solver="full").fit(X)
        c = IncrementalPCA(10).fit(X)
        d = PCA(10, svd_solver="randomized", random_state=0).fit(X)
    """,
    "gaussian process with optimizer restarts": """
        from sklearn.gaussian_process import GaussianProcessRegressor, GaussianProcessClassifier
        a = GaussianProcessRegressor(kernel=k, n_restarts_optimizer=9).fit(X, y)  # <-
        b = GaussianProcessClassifier(n_restarts_optimizer=2).fit(X, y)  # <-
    """,
    "gaussian process without restarts": """
        from sklearn.gaussian_process import GaussianProcessRegressor
        a = GaussianProcessRegressor(kernel=k).fit(X, y)
        b = GaussianProcessRegressor(kernel=k, n_restarts_optimizer=0).fit(X, y)
        c = GaussianProcessRegressor(kernel=k, n_restarts_optimizer=5, random_state=0).fit(X, y)
    """,
    "set_params seeds only its own object": """
        from sklearn.cluster import KMeans
        from sklearn.ensemble import RandomForestClassifier
        km = KMeans(n_clusters=4)
        km.set_params(random_state=0)
        forest = RandomForestClassifier()  # <-
        km.fit(X)
        forest.fit(X, y)
    """,
    "set_params of an attribute seeds that attribute": """
        from sklearn.cluster import KMeans
        self.km = KMeans(n_clusters=4)
        self.km.set_params(random_state=0)
        self.km.fit(X)
    """,
    "set_params on a parameter or loop variable may seed any estimator": """
        from sklearn.cluster import KMeans
        from sklearn.linear_model import SGDClassifier
        def fit_and_score(estimator, X):
            estimator.set_params(random_state=0)
            return estimator.fit(X)
        km = KMeans(n_clusters=4)
        fit_and_score(km, X)
        for clf in [SGDClassifier(), SGDClassifier(alpha=0.1)]:
            clf.set_params(random_state=1)
            clf.fit(X, y)
    """,
    "set_params without random_state seeds nothing": """
        from sklearn.cluster import KMeans
        km = KMeans(n_clusters=4)  # <-
        km.set_params(n_clusters=3)
        km.fit(X)
    """,
}


@cases("ML102", ML102)
def test_ml102(source):
    check(source, "ML102")


ML103 = {
    "the draw that picks the seed": """
        import random
        import torch
        manualSeed = random.randint(1, 10000)
        print("Random Seed: ", manualSeed)
        random.seed(manualSeed)
        torch.manual_seed(manualSeed)
    """,
    "a seed drawn for numpy from the random module": """
        import random
        import numpy as np
        seed = random.randrange(2 ** 32)
        np.random.seed(seed)
        noise = np.random.rand(3)
    """,
    "a draw not used as a seed": """
        import random
        manualSeed = random.randint(1, 10000)  # <-
        print(manualSeed)
    """,
    "a draw whose name is also seeded but which is a different draw": """
        import random
        size = random.randint(1, 10)  # <-
        random.seed(seed)
    """,
}


@cases("ML103", ML103)
def test_ml103(source):
    check(source, "ML103")


ML501 = {
    "torch.load inside safe_globals": """
        import torch
        from torch.serialization import safe_globals
        with torch.serialization.safe_globals([MyConfig]):
            state = torch.load("model.pt")
        with safe_globals([MyConfig]), open("x") as fh:
            other = torch.load(fh)
    """,
    "torch.load after add_safe_globals": """
        import torch
        torch.serialization.add_safe_globals([MyConfig])
        state = torch.load("model.pt")
    """,
    "torch.load before add_safe_globals, or outside the block": """
        import torch
        state = torch.load("early.pt")  # <-
        with torch.serialization.safe_globals([MyConfig]):
            pass
        later = torch.load("late.pt")  # <-
        torch.serialization.add_safe_globals([MyConfig])
    """,
    "weights_only=False inside safe_globals is still unsafe": """
        import torch
        with torch.serialization.safe_globals([MyConfig]):
            state = torch.load("model.pt", weights_only=False)  # <-
    """,
    "another context manager is no allow-list": """
        import torch
        with torch.no_grad():
            state = torch.load("model.pt")  # <-
    """,
}


@cases("ML501", ML501)
def test_ml501(source):
    check(source, "ML501")


ML504 = {
    "trainer.save_model to a fixed folder": """
        from transformers import Trainer, TrainingArguments
        args = TrainingArguments(output_dir="out")
        trainer = Trainer(model=model, args=args, train_dataset=train)
        trainer.train()
        trainer.save_model("final-model")  # <-
    """,
    "pushed to the hub through the training arguments": """
        from transformers import Trainer, TrainingArguments
        args = TrainingArguments(output_dir="out", push_to_hub=True)
        trainer = Trainer(model=model, args=args, train_dataset=train)
        trainer.train()
        trainer.save_model("final-model")
    """,
    "push_to_hub=False is not versioned": """
        from transformers import Trainer, TrainingArguments
        args = TrainingArguments(output_dir="out", push_to_hub=False)
        trainer = Trainer(model=model, args=args, train_dataset=train)
        trainer.train()
        trainer.save_model("final-model")  # <-
    """,
    "save_model to a path built per run": """
        from transformers import Trainer
        trainer = Trainer(model=model, train_dataset=train)
        trainer.train()
        trainer.save_model(f"runs/{run_id}")
    """,
    "keras save_weights to a fixed file": """
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)
        model.save_weights("weights.h5")  # <-
    """,
    "save_weights of something that is not a model": """
        import keras
        helper.save_weights("weights.h5")
    """,
    "a search's best estimator dumped to a fixed file": """
        import joblib
        from sklearn.model_selection import GridSearchCV
        search = GridSearchCV(estimator, grid)
        search.fit(X, y)
        joblib.dump(search.best_estimator_, "best.joblib")  # <-
    """,
    "a search's best parameters dumped": """
        import joblib
        from sklearn.model_selection import GridSearchCV
        search = GridSearchCV(estimator, grid).fit(X, y)
        joblib.dump(search.best_params_, "best_params.joblib")
    """,
}


@cases("ML504", ML504)
def test_ml504(source):
    check(source, "ML504")


ML403 = {
    "assign in a try whose except KeyError is the point": """
        import pandas as pd
        df = pd.DataFrame({"a": [1]})
        try:
            df.assign(b=lambda d: d["missing"])
        except KeyError:
            print("no column 'missing'")
    """,
    "drop probing for labels, KeyError among others": """
        import pandas as pd
        df = pd.read_csv("x.csv")
        try:
            df.drop(columns=["x"])
        except (ValueError, KeyError) as exc:
            raise SystemExit(exc)
    """,
    "the handler catches something else": """
        import pandas as pd
        df = pd.read_csv("x.csv")
        try:
            df.dropna(subset=["a"])  # <-
        except ValueError:
            pass
    """,
    "in the except block, not the try": """
        import pandas as pd
        df = pd.read_csv("x.csv")
        try:
            value = df["a"]
        except KeyError:
            df.assign(a=0)  # <-
    """,
}


@cases("ML403", ML403)
def test_ml403(source):
    check(source, "ML403")


ML304 = {
    "remote module and rref proxies": """
        import torch
        from torch.distributed import rpc
        from torch.distributed.nn import RemoteModule
        remote_net = RemoteModule("worker1/cpu", nn.Linear, args=(20, 30))
        out = remote_net.forward(x)
        self.remote = RemoteModule("ps", Net)
        self.remote.forward(x)
        rref = rpc.remote("worker1", Net)
        rref.rpc_sync().forward(x)
        rref.rpc_async().forward(x)
        rref.forward(x)
    """,
    "a local module beside a remote one": """
        import torch
        from torch.distributed.nn import RemoteModule
        remote_net = RemoteModule("worker1/cpu", nn.Linear, args=(20, 30))
        net = nn.Linear(20, 30)
        out = net.forward(x)  # <-
        other = some_call().forward(x)  # <-
    """,
}


@cases("ML304", ML304)
def test_ml304(source):
    check(source, "ML304")


ML503 = {
    "hub id in a module-level constant": """
        from transformers import AutoModel, AutoTokenizer
        MODEL_ID = "meta-llama/Llama-2-7b-hf"
        tokenizer = AutoTokenizer.from_pretrained(MODEL_ID)  # <-
        def load():
            return AutoModel.from_pretrained(MODEL_ID)  # <-
    """,
    "constant pinned, a local folder, or not a hub id": """
        from transformers import AutoModel
        MODEL_ID = "meta-llama/Llama-2-7b-hf"
        CHECKPOINT = "checkpoints/run1"
        NAME = "bert-base-uncased"
        a = AutoModel.from_pretrained(MODEL_ID, revision="3f1c2b7")
        b = AutoModel.from_pretrained(CHECKPOINT)
        c = AutoModel.from_pretrained(NAME)
    """,
    "a constant reassigned, or a local variable or parameter of the same name": """
        from transformers import AutoModel
        MODEL_ID = "org/first"
        if args.big:
            MODEL_ID = "org/second"
        a = AutoModel.from_pretrained(MODEL_ID)
        OTHER = "org/model"
        def load(OTHER):
            return AutoModel.from_pretrained(OTHER)
        def build():
            OTHER = args.model
            return AutoModel.from_pretrained(OTHER)
    """,
}


@cases("ML503", ML503)
def test_ml503(source):
    check(source, "ML503")


ML101 = {
    "torch random_split without a generator": """
        import torch
        from torch.utils.data import random_split
        train, val = random_split(dataset, [0.8, 0.2])  # <-
        a, b = torch.utils.data.random_split(dataset, [800, 200])  # <-
    """,
    "torch random_split with a generator, or after seeding torch": """
        import torch
        from torch.utils.data import random_split
        train, val = random_split(dataset, [0.8, 0.2], generator=torch.Generator().manual_seed(0))
        torch.manual_seed(0)
        a, b = random_split(dataset, [800, 200])
    """,
    "torch random_split before the seed": """
        import torch
        from torch.utils.data import random_split
        train, val = random_split(dataset, [0.8, 0.2])  # <-
        torch.manual_seed(0)
    """,
    "torch random_split seeded by lightning": """
        import lightning as L
        from torch.utils.data import random_split
        L.seed_everything(42)
        train, val = random_split(dataset, [0.8, 0.2])
    """,
    "datasets train_test_split without a seed": """
        from datasets import load_dataset
        ds = load_dataset("imdb", split="train")
        splits = ds.train_test_split(test_size=0.1)  # <-
    """,
    "datasets train_test_split seeded, unshuffled, or numpy seeded": """
        import numpy as np
        from datasets import load_dataset
        ds = load_dataset("imdb", split="train")
        a = ds.train_test_split(test_size=0.1, seed=42)
        b = ds.train_test_split(test_size=0.1, shuffle=False)
        np.random.seed(0)
        c = ds.train_test_split(test_size=0.1)
    """,
    "a train_test_split method in a file without datasets": """
        import pandas as pd
        splits = frame.train_test_split(test_size=0.1)
    """,
}


@cases("ML101", ML101)
def test_ml101(source):
    check(source, "ML101")


def test_ml101_datasets_fix_passes_seed():
    from mlreview.fixes.api import build_fix
    from mlreview.fixes.edits import apply_edits

    source = 'from datasets import load_dataset\nds = load_dataset("imdb")\nsplits = ds.train_test_split(test_size=0.1)\n'
    [finding] = findings(source, "ML101")
    fixed = apply_edits(source, build_fix(source, finding).edits)
    assert "ds.train_test_split(test_size=0.1, seed=SEED)" in fixed and not findings(fixed, "ML101")
    [split] = findings("import torch\nfrom torch.utils.data import random_split\na, b = random_split(d, [1, 1])\n", "ML101")
    assert build_fix("", split) is None  # the generator is the user's choice: no fix offered


ML104 = {
    "language-model checkpoints have no new head": """
        from transformers import (AutoModelForCausalLM, AutoModelForSeq2SeqLM, AutoModelForMaskedLM,
                                  AutoModelForVision2Seq, T5ForConditionalGeneration, Trainer)
        a = AutoModelForCausalLM.from_pretrained("gpt2")
        b = AutoModelForSeq2SeqLM.from_pretrained("t5-small")
        c = AutoModelForMaskedLM.from_pretrained("bert-base-uncased")
        d = AutoModelForVision2Seq.from_pretrained("Salesforce/blip-image-captioning-base")
        e = T5ForConditionalGeneration.from_pretrained("t5-small")
        trainer = Trainer(model=a, train_dataset=train)
        trainer.train()
    """,
    "a fine-tuned classifier without num_labels": """
        from transformers import AutoModelForSequenceClassification, Trainer
        model = AutoModelForSequenceClassification.from_pretrained("distilbert-base-uncased-finetuned-sst-2-english")
        trainer = Trainer(model=model, train_dataset=train)
        trainer.train()
    """,
    "a classifier head sized by its labels": """
        from transformers import AutoModelForSequenceClassification, Trainer
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=3)  # <-
        trainer = Trainer(model=model, train_dataset=train)
        trainer.train()
    """,
    "from_config builds a random model": """
        from transformers import AutoConfig, AutoModelForCausalLM
        config = AutoConfig.from_pretrained("gpt2")
        model = AutoModelForCausalLM.from_config(config)  # <-
    """,
    "from_config after a seed": """
        from transformers import AutoConfig, AutoModelForCausalLM, set_seed
        set_seed(0)
        model = AutoModelForCausalLM.from_config(AutoConfig.from_pretrained("gpt2"))
    """,
    "a config's own from_config is not a model": """
        import transformers
        from mylib import Builder
        config = Builder.from_config(cfg)
    """,
    "statsmodels fit before the name holds a Keras model": """
        from statsmodels.tsa.arima.model import ARIMA
        from tensorflow import keras
        import tensorflow as tf
        model = ARIMA(series, order=(1, 1, 1))
        result = model.fit()
        tf.random.set_seed(0)
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)
    """,
    "a Keras fit after the statsmodels one is still found": """
        from statsmodels.tsa.arima.model import ARIMA
        from tensorflow import keras
        model = ARIMA(series, order=(1, 1, 1))
        result = model.fit()
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)  # <-
    """,
    "a GradientTape loop trains": """
        import tensorflow as tf
        for x, y in batches:
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x))
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))  # <-
    """,
    "a seeded GradientTape loop": """
        import tensorflow as tf
        tf.random.set_seed(0)
        for x, y in batches:
            with tf.GradientTape() as tape:
                loss = loss_fn(y, model(x))
            optimizer.apply_gradients(zip(tape.gradient(loss, weights), weights))
    """,
    "a GradientTape used only for saliency": """
        import tensorflow as tf
        with tf.GradientTape() as tape:
            tape.watch(image)
            score = model(image)
        saliency = tape.gradient(score, image)
    """,
}


@cases("ML104", ML104)
def test_ml104(source):
    check(source, "ML104")


ML302 = {
    "a pretrained model evaluated before it is fine-tuned": """
        import torch
        from transformers import AutoModelForSequenceClassification
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
        with torch.no_grad():
            baseline = model(**batch)
        optimizer = torch.optim.AdamW(model.parameters())
        for batch in loader:
            model(**batch).loss.backward()
            optimizer.step()
    """,
    "a pretrained model evaluated after train()": """
        import torch
        from transformers import AutoModelForSequenceClassification
        model = AutoModelForSequenceClassification.from_pretrained("bert-base-uncased", num_labels=2)
        optimizer = torch.optim.AdamW(model.parameters())
        model.train()
        for batch in loader:
            model(**batch).loss.backward()
            optimizer.step()
        with torch.no_grad():  # <-
            score = model(**batch)
    """,
    "a pretrained model evaluated inside the training loop": """
        import torch
        from transformers import AutoModel
        model = AutoModel.from_pretrained("bert-base-uncased")
        optimizer = torch.optim.AdamW(model.parameters())
        for epoch in range(3):
            for batch in loader:
                model(**batch).loss.backward()
                optimizer.step()
            with torch.no_grad():  # <-
                val = model(**val_batch)
    """,
    "set_grad_enabled(False) without eval": """
        import torch
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
        with torch.set_grad_enabled(False):  # <-
            out = net(x)
    """,
    "set_grad_enabled with a flag, or True, or after eval": """
        import torch
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(4, 4), nn.Dropout(0.5))
        with torch.set_grad_enabled(phase == "train"):
            out = net(x)
        with torch.set_grad_enabled(True):
            out = net(x)
        net.eval()
        with torch.set_grad_enabled(False):
            out = net(x)
    """,
    "a torch.hub model under no_grad": """
        import torch
        model = torch.hub.load("pytorch/vision", "resnet18", pretrained=True)
        with torch.no_grad():  # <-
            out = model(batch)
    """,
    "a torch.hub model put in eval mode": """
        import torch
        model = torch.hub.load("pytorch/vision", "resnet18", pretrained=True)
        model.eval()
        with torch.no_grad():
            out = model(batch)
    """,
}


@cases("ML302", ML302)
def test_ml302(source):
    check(source, "ML302")


ML202 = {
    "t-SNE of the validation data, to plot it": """
        from sklearn.manifold import TSNE
        from sklearn.model_selection import train_test_split
        X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
        emb = TSNE(n_components=2, random_state=0).fit_transform(X_val)
        emb = (emb - emb.min(0)) / (emb.max(0) - emb.min(0))
        plt.scatter(emb[:, 0], emb[:, 1], c=y_val)
    """,
    "PCA fitted on the test side is still a finding": """
        from sklearn.decomposition import PCA
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        coords = PCA(n_components=2).fit_transform(X_test)  # <-
    """,
    "min-max scaling of test features with their own range": """
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        X_test = (X_test - X_test.min()) / (X_test.max() - X_test.min())  # <-
    """,
    "standardising an embedding with its own mean is not just a rescale": """
        from sklearn.manifold import TSNE
        from sklearn.model_selection import train_test_split
        X_train, X_val, y_train, y_val = train_test_split(X, y, random_state=0)
        emb = TSNE(n_components=2, random_state=0).fit_transform(X_val)
        emb = (emb - emb.mean(0)) / (emb.max(0) - emb.min(0))  # <-
    """,
    "one expression with several test-side statistics, reported once": """
        from sklearn.model_selection import train_test_split
        X_train, X_test, y_train, y_test = train_test_split(X, y, random_state=0)
        X_test = (X_test - X_test.mean()) / X_test.std()  # <-
    """,
}


@cases("ML202", ML202)
def test_ml202(source):
    check(source, "ML202")
