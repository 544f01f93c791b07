"""ML5 model serving and artifacts: unsafe-deserialization, trust-remote-code,
unpinned-pretrained, unversioned-artifact."""

from __future__ import annotations

import textwrap

import pytest
from mlreview.engine import analyse_text
from mlreview.fixes.api import build_fix
from mlreview.fixes.edits import apply_edits
from mlreview.rules.config import Settings
from mlreview.rules.findings import Severity
from support import assert_fix_contract, codes, findings, fix_all


def lines_of(source: str, code: str) -> list[int]:
    return [line for found, line in codes(source, select=code) if found == code]


def only(source: str, code: str):
    [finding] = [f for f in findings(source, select=code) if f.code == code]
    return finding


def fixed(source: str, code: str) -> str:
    source = textwrap.dedent(source)
    fix = build_fix(source, only(source, code))
    assert fix is not None
    return apply_edits(source, fix.edits)


# ----- ML501 unsafe-deserialization -----------------------------------------------------------

UNSAFE_LOADS = [
    "import pickle\nwith open('m.pkl', 'rb') as fh:\n    model = pickle.load(fh)",
    "import pickle\nobj = pickle.loads(payload)",
    "from pickle import load\nmodel = load(open('m.pkl', 'rb'))",
    "import dill\nf = dill.load(fh)",
    "import cloudpickle as cp\nf = cp.loads(blob)",
    "import joblib\nmodel = joblib.load('model.joblib')",
    "from joblib import load\nmodel = load(path)",
    "import pandas as pd\ndf = pd.read_pickle('frame.pkl')",
    "import numpy as np\narr = np.load('a.npy', allow_pickle=True)",
    "import torch\nstate = torch.load('m.pt')",
    "import torch\nstate = torch.load('m.pt', weights_only=False)",
    "import yaml\ncfg = yaml.load(fh)",
    "import yaml\ncfg = yaml.load(fh, Loader=yaml.Loader)",
    "import yaml\ncfg = yaml.load(fh, yaml.FullLoader)",
    "import yaml\ndocs = list(yaml.load_all(fh))",
    "from tensorflow import keras\nm = keras.models.load_model('m.keras', safe_mode=False)",
    "import tensorflow as tf\nm = tf.keras.models.load_model('m.keras', safe_mode=False)",
    "import torch\ndef restore(net, path):\n    net.load_state_dict(torch.load(path, map_location='cpu'))",
]


@pytest.mark.parametrize("source", UNSAFE_LOADS)
def test_unsafe_deserialization_flags(source):
    assert len(lines_of(source, "ML501")) == 1


SAFE_LOADS = [
    "import yaml\ncfg = yaml.safe_load(fh)",
    "import yaml\ncfg = yaml.load(fh, Loader=yaml.SafeLoader)",
    "import yaml\ncfg = yaml.load(fh, Loader=yaml.CSafeLoader)",
    "import yaml\ncfg = yaml.load(fh, yaml.BaseLoader)",
    "from yaml import SafeLoader, load\ncfg = load(fh, Loader=SafeLoader)",
    "import yaml\ncfg = yaml.load(fh, Loader=ProjectLoader)",  # a loader we cannot see: stay silent
    "import yaml\ncfg = yaml.load(fh, **options)",
    "import torch\nstate = torch.load('m.pt', weights_only=True)",
    "import torch\nstate = torch.load('m.pt', **kwargs)",
    "import torch\nstate = torch.load('m.pt', weights_only=flag)",
    "import numpy as np\narr = np.load('a.npy')",
    "import numpy as np\narr = np.load('a.npy', allow_pickle=False)",
    "import json\ncfg = json.load(fh)",
    "import pickle\npickle.dump(obj, fh)",
    "from tensorflow import keras\nm = keras.models.load_model('m.keras')",
    "import pandas as pd\ndf = pd.read_parquet('frame.parquet')",
    "def load(x):\n    return x\nmodel = load('m.pkl')",  # a local function
    "model = store.load('m.pkl')",  # an unknown object's method
    "import pickle\npickle.loads(pickle.dumps(exc))",  # a round trip of our own object
    "import cloudpickle\nclone = cloudpickle.loads(cloudpickle.dumps(fn))",
]


@pytest.mark.parametrize("source", SAFE_LOADS)
def test_unsafe_deserialization_stays_silent(source):
    assert lines_of(source, "ML501") == []


@pytest.mark.parametrize("source, severity", [
    ("import torch\ns = torch.load('m.pt')", Severity.INFORMATION),
    ("import torch\ns = torch.load('m.pt', weights_only=False)", Severity.ERROR),
    ("import pickle\ns = pickle.load(fh)", Severity.WARNING),
])
def test_unsafe_deserialization_severity_per_case(source, severity):
    assert only(source, "ML501").severity == severity


def test_configured_severity_overrides_the_per_case_one():
    settings = Settings(severity=(("ML501", Severity.HINT),))
    [finding] = analyse_text("import torch\ns = torch.load('m.pt', weights_only=False)\n", settings).findings
    assert finding.severity == Severity.HINT


def test_unsafe_deserialization_sits_on_the_call():
    finding = only("import torch\nmodel.load_state_dict(torch.load(PATH))\n", "ML501")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (2, 22, 38)


@pytest.mark.parametrize("source, expected", [
    ("import torch\nstate = torch.load('m.pt')", "state = torch.load('m.pt', weights_only=True)"),
    ("import torch\nstate = torch.load('m.pt', weights_only=False)", "state = torch.load('m.pt', weights_only=True)"),
    ("import torch as T\nstate = T.load(p, map_location='cpu')", "state = T.load(p, map_location='cpu', weights_only=True)"),
])
def test_torch_load_fix_is_weights_only_and_unsafe(source, expected):
    finding = only(source, "ML501")
    fix = build_fix(source, finding)
    assert fix.applicability == "unsafe"  # full pickled models stop loading
    assert apply_edits(source, fix.edits).splitlines()[-1] == expected
    assert_fix_contract(source, "ML501")
    assert fix_all(source) == source  # --fix applies safe fixes only


@pytest.mark.parametrize("source, expected", [
    ("import yaml\ncfg = yaml.load(fh)", "cfg = yaml.safe_load(fh)"),
    ("import yaml\ncfg = yaml.load(fh, Loader=yaml.FullLoader)", "cfg = yaml.safe_load(fh)"),
    ("import yaml as y\ncfg = y.load(fh, y.Loader)", "cfg = y.safe_load(fh)"),
    ("import yaml\ndocs = yaml.load_all(fh)", "docs = yaml.safe_load_all(fh)"),
    ("import yaml\ndef read(fh):\n    return yaml.load(\n        fh,\n        Loader=yaml.UnsafeLoader,\n    )",
     "    return yaml.safe_load(\n        fh,\n    )"),
])
def test_yaml_fix_is_safe_load(source, expected):
    fix = build_fix(source, only(source, "ML501"))
    assert fix.applicability == "safe"
    assert apply_edits(source, fix.edits).endswith(expected)
    assert_fix_contract(source, "ML501")


@pytest.mark.parametrize("source", [
    "import pickle\nm = pickle.load(fh)",
    "import joblib\nm = joblib.load('m')",
    "from yaml import load\ncfg = load(fh)",  # no `yaml.` prefix to rewrite to
])
def test_unpickling_without_a_rewrite_is_not_fixable(source):
    assert not only(source, "ML501").fixable


# ----- ML502 trust-remote-code ----------------------------------------------------------------

REMOTE_CODE = [
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', trust_remote_code=True)",
    "from transformers import AutoTokenizer as T\nt = T.from_pretrained(name, trust_remote_code=True)",
    "import transformers\nm = transformers.AutoModelForCausalLM.from_pretrained(p, revision='a1', trust_remote_code=True)",
    "from transformers import pipeline\np = pipeline('feature-extraction', model=name, trust_remote_code=True)",
    "from datasets import load_dataset\nds = load_dataset('org/data', trust_remote_code=True)",
    "import datasets\nds = datasets.load_dataset(path, trust_remote_code=True)",
    "from transformers import AutoConfig\nc = AutoConfig.from_pretrained(p, trust_remote_code=True)",
    "from transformers import AutoModel\nm = AutoModel.from_config(cfg, trust_remote_code=True)",
    "import transformers\ndef load(cls, p):\n    return cls.from_pretrained(p, trust_remote_code=True)",
    "from sentence_transformers import SentenceTransformer\nm = SentenceTransformer(p, trust_remote_code=True)",
]


@pytest.mark.parametrize("source", REMOTE_CODE)
def test_trust_remote_code_flags(source):
    assert len(lines_of(source, "ML502")) == 1


NO_REMOTE_CODE = [
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m')",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', trust_remote_code=False)",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', trust_remote_code=flag)",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', **kwargs)",
    "m = Thing.from_pretrained('org/m', trust_remote_code=True)",  # no Hugging Face import: unknown
    "def f(trust_remote_code=True):\n    pass\nf(trust_remote_code=True)",
    "from transformers import AutoModel\nf(trust_remote_code=True)",  # not a Hugging Face call
    "import mylib\nmylib.load(trust_remote_code=True)",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('../model/local', trust_remote_code=True)",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('/srv/models/x', trust_remote_code=True)",
]


@pytest.mark.parametrize("source", NO_REMOTE_CODE)
def test_trust_remote_code_stays_silent(source):
    assert lines_of(source, "ML502") == []


def test_trust_remote_code_sits_on_the_keyword():
    source = "from transformers import AutoModel\nm = AutoModel.from_pretrained(\n    'org/m',\n    trust_remote_code=True,\n)\n"
    finding = only(source, "ML502")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (4, 4, 26)
    assert not finding.fixable


# ----- ML503 unpinned-pretrained --------------------------------------------------------------

UNPINNED = [
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('bert-org/bert-base')",
    "from transformers import AutoTokenizer\nt = AutoTokenizer.from_pretrained(pretrained_model_name_or_path='org/m')",
    "import transformers as tr\nm = tr.AutoModelForSequenceClassification.from_pretrained('org/m', num_labels=2)",
    "from transformers import pipeline\np = pipeline('sentiment-analysis', model='org/m')",
    "from transformers import pipeline\np = pipeline('sentiment-analysis', 'org/m')",
    "from datasets import load_dataset\nds = load_dataset('org/data', split='train')",
    "from huggingface_hub import hf_hub_download\np = hf_hub_download(repo_id='org/m', filename='w.bin')",
    "from huggingface_hub import hf_hub_download\np = hf_hub_download('org/m', 'w.bin')",
    "from huggingface_hub import snapshot_download\np = snapshot_download('org/m')",
    "import torch\nm = torch.hub.load('pytorch/vision', 'resnet18')",
    "import torch\nm = torch.hub.load(repo_or_dir='owner/repo', model='m', source='github')",
    "import transformers\nclass Encoder:\n    def load(self):\n        return self.cls.from_pretrained('org/m')",
]


@pytest.mark.parametrize("source", UNPINNED)
def test_unpinned_pretrained_flags(source):
    assert len(lines_of(source, "ML503")) == 1


PINNED_OR_LOCAL = [
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', revision='3f1c2b7')",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('./checkpoints/best')",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('/models/bert')",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('~/models/bert')",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained(MODEL_NAME)",  # a variable
    "from transformers import AutoModel\nm = AutoModel.from_pretrained(f'org/{name}')",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('bert-base-uncased')",  # no org/
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m', **options)",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('outputs/run-3')",  # a local folder
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('saved_model/final')",
    "from transformers import AutoModel\nm = AutoModel.from_pretrained('org/weights.bin')",  # a file
    "from datasets import load_dataset\nds = load_dataset('csv', data_files='train.csv')",
    "from datasets import load_dataset\nds = load_dataset('imdb')",
    "from datasets import load_dataset\nds = load_dataset('json', data_files='data/train.jsonl')",
    "from datasets import load_dataset\nds = load_dataset('org/data', revision='v1.0')",
    "from transformers import pipeline\np = pipeline('sentiment-analysis')",
    "from transformers import pipeline\np = pipeline('ner', model='org/m', revision='abc')",
    "from huggingface_hub import hf_hub_download\np = hf_hub_download('org/m', 'w.bin', revision='abc')",
    "import torch\nm = torch.hub.load('pytorch/vision:v0.10.0', 'resnet18')",
    "import torch\nm = torch.hub.load('path/to/repo', 'm', source='local')",
    "import torch\nm = torch.hub.load(REPO, 'm')",
    "m = Foo.from_pretrained('org/m')",  # no Hugging Face import
    "import mylib\nm = mylib.load('org/m')",
]


@pytest.mark.parametrize("source", PINNED_OR_LOCAL)
def test_unpinned_pretrained_stays_silent(source):
    assert lines_of(source, "ML503") == []


def test_unpinned_sits_on_the_hub_id():
    finding = only("from transformers import AutoModel\nm = AutoModel.from_pretrained('org/m')\n", "ML503")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (2, 30, 37)
    assert finding.severity == Severity.INFORMATION


# ----- ML504 unversioned-artifact -------------------------------------------------------------

SKLEARN_MODEL = "from sklearn.ensemble import RandomForestClassifier\nmodel = RandomForestClassifier()\nmodel.fit(X, y)\n"

UNVERSIONED = [
    "import joblib\n" + SKLEARN_MODEL + "joblib.dump(model, 'model.pkl')",
    "import pickle\n" + SKLEARN_MODEL + "pickle.dump(model, open('m.pkl', 'wb'))",
    "import pickle\n" + SKLEARN_MODEL + "with open('m.pkl', 'wb') as fh:\n    pickle.dump(model, fh)",
    "import torch\ndef save(net):\n    torch.save(net.state_dict(), 'model.pt')",
    "import torch\nmodel = Net()\nmodel.train()\ntorch.save(model, 'model.pt')",
    "import torch\ntorch.save({'model': net.state_dict(), 'epoch': 3}, 'ckpt.pt')",
    "from tensorflow import keras\nmodel = keras.Sequential([])\nmodel.save('model.h5')",
    "import tensorflow as tf\nmodel = build()\nmodel.compile(optimizer='adam')\nmodel.fit(X, y)\nmodel.save('model.keras')",
    "import xgboost as xgb\nclf = xgb.XGBClassifier()\nclf.fit(X, y)\nclf.save_model('model.json')",
    "import lightgbm as lgb\nbooster = lgb.train(params, train_set)\nbooster.save_model('model.txt')",
    "import tensorflow as tf\nmodel = tf.keras.Sequential([])\ntf.keras.models.save_model(model, 'saved')",
    "import joblib\nfrom sklearn.model_selection import GridSearchCV\nsearch = GridSearchCV(est, grid)\n"
    "search.fit(X, y)\njoblib.dump(search.best_estimator_, 'best.joblib')",
    "import joblib\nfrom sklearn.pipeline import make_pipeline\npipe = make_pipeline(a, b)\njoblib.dump(pipe, filename='p.pkl')",
]


@pytest.mark.parametrize("source", UNVERSIONED)
def test_unversioned_artifact_flags(source):
    assert len(lines_of(source, "ML504")) == 1


VERSIONED_OR_NOT_A_MODEL = [
    "import joblib\n" + SKLEARN_MODEL + "joblib.dump(model, MODEL_PATH)",  # a variable
    "import joblib\n" + SKLEARN_MODEL + "joblib.dump(model, f'model-{version}.pkl')",
    "import joblib, os\n" + SKLEARN_MODEL + "joblib.dump(model, os.path.join(out, 'model.pkl'))",
    "import joblib\nfrom pathlib import Path\n" + SKLEARN_MODEL + "joblib.dump(model, Path(out) / 'model.pkl')",
    "import joblib\n" + SKLEARN_MODEL + "joblib.dump(model, 'model_' + stamp + '.pkl')",
    "import joblib, mlflow\n" + SKLEARN_MODEL + "joblib.dump(model, 'model.pkl')\nmlflow.sklearn.log_model(model, 'model')",
    "import joblib, mlflow\n" + SKLEARN_MODEL + "joblib.dump(model, 'model.pkl')\nmlflow.log_artifact('model.pkl')",
    "import joblib, wandb\n" + SKLEARN_MODEL + "joblib.dump(model, 'model.pkl')\nrun = wandb.init()\n"
    "run.log_artifact('model.pkl')",
    "import joblib, wandb\n" + SKLEARN_MODEL + "joblib.dump(model, 'm.pkl')\nart = wandb.Artifact('m', type='model')",
    "import joblib\nimport dvc.api\n" + SKLEARN_MODEL + "joblib.dump(model, 'model.pkl')",
    "import joblib\nmetrics = {'acc': 0.9}\njoblib.dump(metrics, 'metrics.pkl')",  # data, not a model
    "import joblib\njoblib.dump([1, 2, 3], 'list.pkl')",
    "import pickle\nwith open('cache.pkl', 'wb') as fh:\n    pickle.dump(features, fh)",
    "import torch\ntorch.save(tensor, 'x.pt')",
    "import torch\nx = torch.Tensor(3)\ntorch.save(x, 'x.pt')",
    "import numpy as np\nimport joblib\nnp.save('a.npy', arr)",
    "import joblib\nimport matplotlib.pyplot as plt\nfig = plt.figure()\nfig.savefig('a.png')",
    "import joblib\n" + SKLEARN_MODEL + "model.save(path)",
    "import pickle\n" + SKLEARN_MODEL + "with open(path, 'wb') as fh:\n    pickle.dump(model, fh)",
    "import xgboost as xgb\ndtrain = xgb.DMatrix(X)\ndtrain.save_binary('train.buffer')",
    "import torch\ntorch.save(optimizer.state_dict(), 'optimizer.pt')",  # training state, not the model
    "import torch\ntorch.save(self.lr_scheduler.state_dict(), 'sched.pt')",
]


@pytest.mark.parametrize("source", VERSIONED_OR_NOT_A_MODEL)
def test_unversioned_artifact_stays_silent(source):
    assert lines_of(source, "ML504") == []


def test_unversioned_artifact_sits_on_the_save_call():
    finding = only("import joblib\n" + SKLEARN_MODEL + "joblib.dump(model, 'model.pkl')\n", "ML504")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (5, 0, 31)
    assert finding.severity == Severity.INFORMATION
    assert not finding.fixable
