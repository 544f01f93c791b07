"""ML301 missing-zero-grad, ML302 missing-eval-mode, ML304 forward-called-directly, ML306 missing-evaluation."""

from __future__ import annotations

import textwrap

import pytest
from mlreview.engine import analyse_source
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits
from mlreview.parse.source import join_cells
from mlreview.rules.config import Settings
from support import assert_fix_contract, codes, findings


def lines_of(code: str, source: str) -> list[int]:
    return [line for found, line in codes(source, code) if found == code]


def notebook_lines(code: str, *cells: str) -> list[tuple[int, int]]:
    """(cell index, row in cell) of the `code` findings of a notebook made of `cells`."""
    source = join_cells([(i, textwrap.dedent(cell)) for i, cell in enumerate(cells, start=1)])
    result = analyse_source(source, Settings(select=(code,)))
    out = []
    for finding in result.findings:
        cell = source.cell_at(finding.span.line)
        out.append((cell.index, finding.span.line - cell.first_line + 1))
    return out


def fixed(source: str, code: str) -> str:
    """The text after applying the first `code` finding's fix."""
    source = textwrap.dedent(source)
    finding = next(f for f in findings(source) if f.code == code)
    fix = build_fix(source, finding)
    assert fix is not None
    return apply_edits(source, fix.edits)


# ----- ML301 missing-zero-grad -------------------------------------------------------------------

ZERO_GRAD_POSITIVES = {
    "module-level loop": ("""
        import torch
        model = Net()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
        """, [8]),
    "optimizer passed to a function": ("""
        import torch
        def train(model, loader, opt):
            for x, y in loader:
                loss = criterion(model(x), y)
                loss.backward()
                opt.step()
        """, [7]),
    "epoch and batch loops": ("""
        import torch.optim as optim
        optimizer = optim.Adam(model.parameters())
        for epoch in range(10):
            for x, y in loader:
                loss = loss_fn(model(x), y)
                loss.backward()
                optimizer.step()
        """, [8]),
    "zero_grad once before the loop": ("""
        import torch
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        optimizer.zero_grad()
        for x, y in loader:
            loss_fn(model(x), y).backward()
            optimizer.step()
        """, [7]),
    "accumulation without any reset": ("""
        import torch
        optimizer = torch.optim.AdamW(model.parameters())
        for i, (x, y) in enumerate(loader):
            loss = loss_fn(model(x), y) / 4
            loss.backward()
            if (i + 1) % 4 == 0:
                optimizer.step()
        """, [8]),
    "grad scaler steps the optimizer": ("""
        import torch
        from torch.cuda.amp import GradScaler
        scaler = GradScaler()
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            scaler.scale(loss_fn(model(x), y)).backward()
            scaler.step(optimizer)
            scaler.update()
        """, [8]),
    "while loop": ("""
        import torch
        optimizer = torch.optim.SGD(params, lr=0.1)
        while not done:
            loss = compute()
            loss.backward()
            optimizer.step()
        """, [7]),
    "optimizer attribute in a method": ("""
        import torch
        class Runner:
            def fit(self, loader):
                for batch in loader:
                    self.loss(batch).backward()
                    self.optimizer.step()
        """, [7]),
    "the other optimizer's reset does not count": ("""
        import torch
        opt_d = torch.optim.Adam(disc.parameters())
        opt_g = torch.optim.Adam(gen.parameters())
        for real in loader:
            opt_d.zero_grad()
            d_loss(real).backward()
            opt_d.step()
            g_loss(real).backward()
            opt_g.step()
        """, [10]),
}


@pytest.mark.parametrize("source, expected", ZERO_GRAD_POSITIVES.values(), ids=ZERO_GRAD_POSITIVES.keys())
def test_missing_zero_grad_is_flagged_on_the_step(source, expected):
    assert lines_of("ML301", source) == expected


ZERO_GRAD_NEGATIVES = {
    "zero_grad first in the loop": """
        import torch
        optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
        for x, y in loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        """,
    "zero_grad after the step": """
        import torch
        for x, y in loader:
            loss_fn(model(x), y).backward()
            optimizer.step()
            optimizer.zero_grad()
        """,
    "zero_grad inside the accumulation if": """
        import torch
        for i, (x, y) in enumerate(loader):
            loss_fn(model(x), y).backward()
            if (i + 1) % 4 == 0:
                optimizer.step()
                optimizer.zero_grad()
        """,
    "set_to_none": """
        import torch
        for x, y in loader:
            optimizer.zero_grad(set_to_none=True)
            loss_fn(model(x), y).backward()
            optimizer.step()
        """,
    "model.zero_grad": """
        import torch
        for x, y in loader:
            model.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        """,
    "reset in the enclosing epoch loop": """
        import torch
        for epoch in range(3):
            optimizer.zero_grad()
            for x, y in loader:
                loss_fn(model(x), y).backward()
            optimizer.step()
        """,
    "reset in an inner loop of the same training loop": """
        import torch
        for epoch in range(3):
            for x, y in loader:
                optimizer.zero_grad()
                loss_fn(model(x), y).backward()
                optimizer.step()
            optimizer.step()
        """,
    "scheduler step is not an optimizer": """
        import torch
        scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 1)
        for epoch in range(3):
            for x, y in loader:
                optimizer.zero_grad()
                loss_fn(model(x), y).backward()
                optimizer.step()
            scheduler.step()
        """,
    "LBFGS closure resets inside the closure": """
        import torch
        optimizer = torch.optim.LBFGS(model.parameters())
        for i in range(10):
            def closure():
                optimizer.zero_grad()
                loss = loss_fn(model(x), y)
                loss.backward()
                return loss
            optimizer.step(closure)
        """,
    "no backward in the loop": """
        import torch
        for i in range(10):
            optimizer.step()
        """,
    "environment step in an RL loop": """
        import torch
        for t in range(100):
            state, reward, done, _ = env.step(action)
            policy_loss.backward()
        """,
    "manual gradient reset": """
        import torch
        for x, y in loader:
            for p in model.parameters():
                p.grad = None
            loss_fn(model(x), y).backward()
            optimizer.step()
        """,
    "grad.zero_() reset": """
        import torch
        for x, y in loader:
            loss_fn(model(x), y).backward()
            optimizer.step()
            for p in params:
                p.grad.zero_()
        """,
    "no torch in the file": """
        for x, y in loader:
            loss.backward()
            optimizer.step()
        """,
    "scaler with the reset": """
        import torch
        for x, y in loader:
            optimizer.zero_grad()
            scaler.scale(loss_fn(model(x), y)).backward()
            scaler.step(optimizer)
        """,
}


@pytest.mark.parametrize("source", ZERO_GRAD_NEGATIVES.values(), ids=ZERO_GRAD_NEGATIVES.keys())
def test_missing_zero_grad_look_alikes_are_silent(source):
    assert lines_of("ML301", source) == []


def test_zero_grad_fix_goes_first_in_the_loop_body():
    source = """
        import torch
        optimizer = torch.optim.SGD(params, lr=0.1)
        for x, y in loader:
            loss = loss_fn(model(x), y)  # forward
            loss.backward()
            optimizer.step()
        """
    assert fixed(source, "ML301") == textwrap.dedent("""
        import torch
        optimizer = torch.optim.SGD(params, lr=0.1)
        for x, y in loader:
            optimizer.zero_grad()
            loss = loss_fn(model(x), y)  # forward
            loss.backward()
            optimizer.step()
        """)


def test_zero_grad_fix_keeps_accumulation_by_resetting_after_the_step():
    source = """
        import torch
        def train(opt):
            for i, batch in enumerate(loader):
                loss(batch).backward()
                if (i + 1) % 4 == 0:
                    opt.step()  # accumulate 4 batches
        """
    assert fixed(source, "ML301").splitlines()[-2:] == [
        "            opt.step()  # accumulate 4 batches",
        "            opt.zero_grad()",
    ]


def test_zero_grad_fix_uses_the_scaled_optimizer_name():
    source = """
        import torch
        for x in loader:
            scaler.scale(loss(x)).backward()
            scaler.step(optim_g)
        """
    assert "    optim_g.zero_grad()\n    scaler.scale" in fixed(source, "ML301")


@pytest.mark.parametrize("source", [
    ZERO_GRAD_POSITIVES["module-level loop"][0],
    ZERO_GRAD_POSITIVES["accumulation without any reset"][0],
    ZERO_GRAD_POSITIVES["grad scaler steps the optimizer"][0],
    ZERO_GRAD_POSITIVES["optimizer attribute in a method"][0],
    "import torch\nfor x in loader: loss(x).backward(); opt.step()\n",
    "import torch\nfor x in loader:\n\tloss(x).backward()\n\tif ready: opt.step()\n",
    "import torch\r\nfor x in loader:\r\n    loss(x).backward()\r\n    opt.step()\r\n",
])
def test_zero_grad_fix_contract(source):
    assert_fix_contract(source, "ML301")


def test_missing_zero_grad_in_a_notebook():
    assert notebook_lines("ML301", "import torch\nopt = torch.optim.SGD(p, lr=1)\n",
                          "for x in data:\n    loss(x).backward()\n    opt.step()\n") == [(2, 3)]


# ----- ML302 missing-eval-mode -----------------------------------------------------------------

NET = """
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
"""

EVAL_MODE_POSITIVES = {
    "module-level nn.Module subclass": (NET + """
model = Net()
with torch.no_grad():
    predictions = model(X_valid)
""", [10]),
    "from torch import no_grad": ("""
from torch import nn, no_grad

class Net(nn.Module):
    pass

net = Net()
with no_grad():
    out = net(x)
""", [8]),
    "inference_mode": (NET + """
model = Net()
with torch.inference_mode():
    model(x)
""", [10]),
    "model.forward under no_grad": (NET + """
model = Net()
with torch.no_grad():
    model.forward(x)
""", [10]),
    "torchvision model": ("""
import torch
import torchvision
model = torchvision.models.resnet18(weights=None)
with torch.no_grad():
    logits = model(images)
""", [5]),
    "timm model moved to a device": ("""
import timm
import torch
model = timm.create_model("resnet50").to(device)
with torch.no_grad():
    logits = model(images)
""", [5]),
    "nn.Sequential": ("""
import torch.nn as nn
import torch
model = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.5), nn.Linear(8, 1))
with torch.no_grad():
    y = model(x)
""", [5]),
    "trained model built by a helper": ("""
import torch
model = build_model()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
with torch.no_grad():
    y = model(x)
""", [5]),
    "local model in a function": (NET + """
def predict(x):
    model = Net()
    model.load_state_dict(torch.load("m.pt", weights_only=True))
    with torch.no_grad():
        return model(x)
""", [12]),
    "global model, eval only after the function is called": (NET + """
model = Net()

def evaluate(x):
    with torch.no_grad():
        return model(x)

evaluate(batch)
model.eval()
""", [12]),
    "nested no_grad blocks report once": (NET + """
model = Net()
with torch.no_grad():
    with torch.autocast("cuda"):
        model(x)
""", [10]),
    "Hugging Face model fine-tuned in the file": ("""
import torch
from transformers import AutoModelForSequenceClassification as Model
model = Model.from_pretrained("org/name", revision="v1", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters())
with torch.no_grad():
    logits = model(**batch).logits
""", [6]),
    "copy of a model": (NET + """
import copy
model = Net()
ema = copy.deepcopy(model)
with torch.no_grad():
    ema(x)
""", [12]),
}


@pytest.mark.parametrize("source, expected", EVAL_MODE_POSITIVES.values(), ids=EVAL_MODE_POSITIVES.keys())
def test_missing_eval_mode_is_flagged_on_the_with_line(source, expected):
    assert lines_of("ML302", source) == expected


def test_missing_eval_mode_span_is_the_no_grad_item():
    found = [f for f in findings(EVAL_MODE_POSITIVES["module-level nn.Module subclass"][0]) if f.code == "ML302"]
    span = found[0].span
    assert (span.line, span.col, span.end_line, span.end_col) == (10, 5, 10, 20)  # `torch.no_grad()`


EVAL_MODE_NEGATIVES = {
    "eval before the block": NET + "model = Net()\nmodel.eval()\nwith torch.no_grad():\n    model(x)\n",
    "eval inside the block before the call": NET + "model = Net()\nwith torch.no_grad():\n    model.eval()\n    model(x)\n",
    "train(False)": NET + "model = Net()\nmodel.train(False)\nwith torch.no_grad():\n    model(x)\n",
    "eval at construction": NET + "model = Net().to(device).eval()\nwith torch.no_grad():\n    model(x)\n",
    "eval through a chain": NET + "model = Net()\nmodel.to(device).eval()\nwith torch.no_grad():\n    model(x)\n",
    "EMA update never calls a model": NET + """
model = Net()
ema = Net()
with torch.no_grad():
    for p_ema, p in zip(ema.parameters(), model.parameters()):
        p_ema.mul_(0.99).add_(p, alpha=0.01)
""",
    "weight surgery": NET + "model = Net()\nwith torch.no_grad():\n    model.fc.weight.fill_(0.0)\n",
    "statistics under no_grad": NET + "model = Net()\nwith torch.no_grad():\n    mean = torch.stack(batches).mean(0)\n",
    "model given as a parameter": NET + "def evaluate(model, x):\n    with torch.no_grad():\n        return model(x)\n",
    "model class imported from another file": """
import torch
from models import Net
model = Net()
with torch.no_grad():
    model(x)
""",
    "loss module under no_grad": NET + """
model = Net()
criterion = torch.nn.CrossEntropyLoss()
for x, y in loader:
    criterion(model(x), y).backward()
model.eval()
with torch.no_grad():
    criterion(model(xv), yv)
""",
    "softmax layer is not a model": """
import torch
softmax = torch.nn.Softmax(dim=1)
with torch.no_grad():
    p = softmax(logits)
""",
    "Hugging Face from_pretrained is returned in eval mode": """
import torch
from transformers import AutoModel
model = AutoModel.from_pretrained("bert-base-uncased", revision="main")
with torch.no_grad():
    out = model(**inputs)
""",
    "global model put in eval mode before the function is called": NET + """
model = Net()

def evaluate(x):
    with torch.no_grad():
        return model(x)

model.eval()
evaluate(batch)
""",
    "no_grad decorator is not a block": NET + "model = Net()\n@torch.no_grad()\ndef predict(x):\n    return model(x)\n",
    "enable_grad": NET + "model = Net()\nwith torch.enable_grad():\n    model(x)\n",
    "torchvision weights' preprocessing": """
import torch
import torchvision
preprocess = torchvision.models.ResNet50_Weights.DEFAULT.transforms()
with torch.no_grad():
    batch = preprocess(image)
""",
    "no torch import": "model = Net()\nwith no_grad():\n    model(x)\n",
    "eval in a validation helper of the loop": NET + """
model = Net()
def validate():
    model.eval()
    with torch.no_grad():
        return model(xv)
""",
}


@pytest.mark.parametrize("source", EVAL_MODE_NEGATIVES.values(), ids=EVAL_MODE_NEGATIVES.keys())
def test_missing_eval_mode_look_alikes_are_silent(source):
    assert lines_of("ML302", source) == []


def test_eval_mode_fix_inserts_eval_before_the_block():
    source = NET + "model = Net()\nif check:\n    with torch.no_grad():\n        model(x)\n"
    assert fixed(source, "ML302").endswith(
        "if check:\n    model.eval()\n    with torch.no_grad():\n        model(x)\n")


def test_eval_mode_fix_restores_train_mode_inside_a_training_loop():
    source = NET + """
model = Net()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    for x, y in loader:
        opt.zero_grad()
        loss_fn(model(x), y).backward()
        opt.step()
    with torch.no_grad():
        val = model(xv)  # validation
    print(val)
"""
    assert fixed(source, "ML302").endswith("""
    model.eval()
    with torch.no_grad():
        val = model(xv)  # validation
    model.train()
    print(val)
""")


@pytest.mark.parametrize("source", [
    EVAL_MODE_POSITIVES["module-level nn.Module subclass"][0],
    EVAL_MODE_POSITIVES["local model in a function"][0],
    EVAL_MODE_POSITIVES["nested no_grad blocks report once"][0],
    NET + "a = Net()\nb = Net()\nwith torch.no_grad():\n    a(x) + b(x)\n",
    NET + "model = Net()\nopt = torch.optim.SGD(model.parameters(), lr=1)\nfor e in range(2):\n"
          "    opt.zero_grad()\n    model(x).sum().backward()\n    opt.step()\n"
          "    with torch.no_grad(): model(xv)\n",
])
def test_eval_mode_fix_contract(source):
    assert_fix_contract(source, "ML302")


def test_missing_eval_mode_in_a_notebook():
    assert notebook_lines("ML302", NET + "model = Net()\n", "with torch.no_grad():\n    model(x)\n") == [(2, 1)]


# ----- ML304 forward-called-directly -----------------------------------------------------------

FORWARD_POSITIVES = {
    "instance": ("import torch\nout = model.forward(x)\n", [2]),
    "self in a method": ("import torch.nn as nn\nclass A(nn.Module):\n    def f(self, x):\n        return self.forward(x)\n", [4]),
    "attribute chain": ("import torch\nout = self.backbone.forward(x, mask=m)\n", [2]),
    "constructed inline": ("from torch import nn\nout = nn.Linear(2, 2).forward(x)\n", [2]),
    "parenthesised receiver": ("import torch\nout = (model).forward(x)\n", [2]),
    "multi-line chain": ("import torch\nout = (model\n       .forward(x))\n", [2]),
    "inside a no_grad block": ("import torch\nwith torch.no_grad():\n    y = net.forward(x)\n", [3]),
    "DataParallel module": ("import torch\ny = model.module.forward(x)\n", [2]),
}


@pytest.mark.parametrize("source, expected", FORWARD_POSITIVES.values(), ids=FORWARD_POSITIVES.keys())
def test_forward_called_directly_is_flagged(source, expected):
    assert lines_of("ML304", source) == expected


FORWARD_NEGATIVES = {
    "super()": "import torch.nn as nn\nclass A(nn.Linear):\n    def forward(self, x):\n        return super().forward(x)\n",
    "super(Cls, self)": "import torch.nn as nn\nclass A(nn.Linear):\n    def forward(self, x):\n        return super(A, self).forward(x)\n",
    "library base class": "import torch.nn as nn\nclass A(nn.LSTM):\n    def forward(self, x):\n        return nn.LSTM.forward(self, x)\n",
    "local base class": "import torch\nclass Base:\n    pass\nclass A(Base):\n    def forward(self, x):\n        return Base.forward(self, x)\n",
    "no torch import": "out = model.forward(x)\n",
    "a function named forward": "import torch\nout = forward(x)\n",
    "not called": "import torch\nmodel.forward = patched_forward\nf = model.forward\n",
    "a module-level function of an imported module": "import torch\nimport mynet\nout = mynet.forward(x)\n",
}


@pytest.mark.parametrize("source", FORWARD_NEGATIVES.values(), ids=FORWARD_NEGATIVES.keys())
def test_forward_look_alikes_are_silent(source):
    assert lines_of("ML304", source) == []


@pytest.mark.parametrize("source, expected", [
    ("import torch\nout = model.forward(x)\n", "import torch\nout = model(x)\n"),
    ("import torch\nout = (model).forward(x)\n", "import torch\nout = (model)(x)\n"),
    ("import torch\nout = (model\n       .forward(x, y=1))\n", "import torch\nout = (model(x, y=1))\n"),
    ("import torch\nif ok:\n    out = self.net.forward(x)  # keep\n", "import torch\nif ok:\n    out = self.net(x)  # keep\n"),
])
def test_forward_fix_calls_the_module(source, expected):
    assert fixed(source, "ML304") == expected
    assert_fix_contract(source, "ML304")


# ----- ML306 missing-evaluation ------------------------------------------------------------------

EVALUATION_POSITIVES = {
    "sklearn estimator": ("""
        from sklearn.ensemble import RandomForestClassifier
        model = RandomForestClassifier(random_state=0)
        model.fit(X_train, y_train)
        predictions = model.predict(X_test)
        """, [4]),
    "module alias": ("""
        from sklearn import svm
        clf = svm.SVC()
        clf.fit(X, y)
        """, [4]),
    "pipeline ending in an estimator": ("""
        from sklearn.pipeline import make_pipeline
        from sklearn.preprocessing import StandardScaler
        from sklearn.linear_model import LogisticRegression as LR
        pipe = make_pipeline(StandardScaler(), LR())
        pipe.fit(X, y)
        """, [6]),
    "the first training call, after a transformer fit": ("""
        from sklearn.preprocessing import StandardScaler
        from xgboost import XGBClassifier
        scaler = StandardScaler().fit(X)
        booster = XGBClassifier().fit(scaler.transform(X), y)
        """, [5]),
    "keras fit": ("""
        from tensorflow import keras
        model = keras.Sequential([keras.layers.Dense(1)])
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y, epochs=5)
        """, [5]),
    "keras model built by a helper": ("""
        import tensorflow as tf
        model = build()
        model.compile(optimizer="adam", loss="mse")
        model.fit(X, y)
        """, [5]),
    "hugging face trainer": ("""
        from transformers import Trainer
        trainer = Trainer(model=model, args=args, train_dataset=train)
        trainer.train()
        """, [4]),
    "torch loop": ("""
        import torch
        for x, y in loader:
            optimizer.zero_grad()
            loss_fn(model(x), y).backward()
            optimizer.step()
        """, [5]),
    "residuals only plotted (not an evaluation)": ("""
        from sklearn.svm import SVR
        m = SVR().fit(X, y)
        plt.plot(m.predict(Xt) - yt)
        """, [3]),
    "loop over candidate estimators": ("""
        from sklearn.svm import SVC
        from sklearn.tree import DecisionTreeClassifier
        for name, clf in [("svc", SVC()), ("tree", DecisionTreeClassifier())]:
            clf.fit(X, y)
        """, [5]),
}


@pytest.mark.parametrize("source, expected", EVALUATION_POSITIVES.values(), ids=EVALUATION_POSITIVES.keys())
def test_missing_evaluation_is_flagged_on_the_first_training_call(source, expected):
    assert lines_of("ML306", source) == expected


EVALUATION_NEGATIVES = {
    "a sklearn metric": "from sklearn.svm import SVC\nfrom sklearn.metrics import f1_score\n"
                        "m = SVC().fit(X, y)\nprint(f1_score(yt, m.predict(Xt)))\n",
    "metrics module": "from sklearn import metrics\nfrom sklearn.svm import SVC\nm = SVC().fit(X, y)\n"
                      "metrics.accuracy_score(yt, m.predict(Xt))\n",
    ".score": "from sklearn.svm import SVC\nm = SVC().fit(X, y)\nprint(m.score(Xt, yt))\n",
    "cross_val_score": "from sklearn.svm import SVC\nfrom sklearn.model_selection import cross_val_score\n"
                       "cross_val_score(SVC(), X, y)\nSVC().fit(X, y)\n",
    "a search": "from sklearn.svm import SVC\nfrom sklearn.model_selection import GridSearchCV\n"
                "GridSearchCV(SVC(), {'C': [1, 10]}).fit(X, y)\n",
    "keras validation_split": "from tensorflow import keras\nm = keras.Sequential([])\nm.fit(X, y, validation_split=0.2)\n",
    "keras compile metrics": "from tensorflow import keras\nm = keras.Sequential([])\n"
                             "m.compile(loss='mse', metrics=['mae'])\nm.fit(X, y)\n",
    "keras evaluate": "from tensorflow import keras\nm = keras.Sequential([])\nm.fit(X, y)\nm.evaluate(Xt, yt)\n",
    "xgboost eval_set": "from xgboost import XGBRegressor\nXGBRegressor().fit(X, y, eval_set=[(Xv, yv)])\n",
    "trainer compute_metrics": "from transformers import Trainer\n"
                               "Trainer(model=m, args=a, compute_metrics=f).train()\n",
    "trainer evaluate": "from transformers import Trainer\nt = Trainer(model=m)\nt.train()\nt.evaluate()\n",
    "torchmetrics": "import torch\nimport torchmetrics\nfor x in data:\n    loss(x).backward()\n",
    "evaluate.load": "import evaluate\nfrom transformers import Trainer\nacc = evaluate.load('accuracy')\nTrainer(model=m).train()\n",
    "transformer fit only": "from sklearn.preprocessing import StandardScaler\nStandardScaler().fit(X)\n",
    "sampler fit_resample only": "from imblearn.over_sampling import SMOTE\nX2, y2 = SMOTE().fit_resample(X, y)\n",
    "unknown receiver": "import sklearn\ndef train(model, X, y):\n    model.fit(X, y)\n",
    "estimator from another file": "import sklearn\nfrom models import build\nm = build()\nm.fit(X, y)\n",
    "accuracy by hand (refinement)": "from sklearn.svm import SVC\nm = SVC().fit(X, y)\ny_pred = m.predict(Xt)\n"
                                     "print(np.mean(y_pred == yt))\n",
    "squared error by hand (refinement)": "from sklearn.svm import SVR\nm = SVR().fit(X, y)\ny_pred = m.predict(Xt)\n"
                                          "mse = ((yt - y_pred) ** 2).mean()\n",
    "torch accuracy by hand (refinement)": "import torch\nfor x, y in loader:\n    loss(x).backward()\n"
                                           "correct += pred.eq(target).sum().item()\n",
    "no training at all": "import pandas as pd\ndf = pd.read_csv('x.csv')\n",
}


@pytest.mark.parametrize("source", EVALUATION_NEGATIVES.values(), ids=EVALUATION_NEGATIVES.keys())
def test_missing_evaluation_look_alikes_are_silent(source):
    assert lines_of("ML306", source) == []


def test_missing_evaluation_is_one_finding_per_file():
    source = "from sklearn.svm import SVC\nSVC().fit(X, y)\nSVC().fit(X, y)\n"
    assert lines_of("ML306", source) == [2]


def test_missing_evaluation_in_a_notebook():
    assert notebook_lines("ML306", "from sklearn.svm import SVC\n", "clf = SVC()\nclf.fit(X, y)\n") == [(2, 2)]


def test_missing_evaluation_has_no_fix():
    found = [f for f in findings("from sklearn.svm import SVC\nSVC().fit(X, y)\n") if f.code == "ML306"]
    assert found and not found[0].fixable
