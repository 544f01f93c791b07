"""Cross-file knowledge: names defined in other workspace files, resolved with jedi + ast."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from mlreview.engine import analyse_text
from support import EVERY_RULE
from mlreview.facts import crossfile

MODELS = """\
import torch.nn as nn
from base import Base

class Net(nn.Module):
    def forward(self, x):
        return x

class Child(Base):
    pass

class Plain:
    def __call__(self, x):
        return x

net = Net()
"""
BASE = """\
from torch import nn

class Base(nn.Module):
    pass
"""
UTILS = """\
import random
import numpy as np
import torch

def set_seed(seed):
    np.random.seed(seed)
    _seed_torch(seed)

def _seed_torch(seed):
    torch.manual_seed(seed)

def prepare():
    random.seed(0)

def set_seed_badly(seed):
    print("no seeding here", seed)
"""
EVAL_UNDER_NO_GRAD = """\
import torch
from models import {name}

model = {name}()
with torch.no_grad():
    model(x)
"""
SEEDED_BY = """\
import numpy as np
import torch
from torch.utils.data import DataLoader
from utils import {helper}

{helper}(0)
noise = np.random.rand(3)
loader = DataLoader(dataset, shuffle=True)
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "models.py").write_text(MODELS)
    (tmp_path / "base.py").write_text(BASE)
    (tmp_path / "utils.py").write_text(UTILS)
    crossfile.clear_cache()
    return tmp_path


def facts_for(project: Path, name: str, text: str, budget: float = 5.0) -> crossfile.Resolution:
    path = project / name
    path.write_text(text)
    requests = crossfile.import_requests(crossfile.text_imports(text))
    return crossfile.resolve_external(str(path), requests, str(project), budget)


def codes_in(project: Path, name: str, text: str, external=None) -> list[tuple[str, int]]:
    result = analyse_text(text, EVERY_RULE, path=str(project / name), external=external)
    return [(f.rule.code, f.span.line) for f in result.findings]


# ----- the resolver ------------------------------------------------------------------------


def test_resolver_reads_classes_instances_and_seeding_helpers(project):
    text = ("import models\nimport models as m\nfrom models import Net, Child, Plain as P, net\n"
            "from utils import set_seed, prepare, set_seed_badly\n")
    facts = facts_for(project, "train.py", text).facts
    assert {"Net", "Child", "models.Net", "m.Child"} <= facts.module_classes
    assert not facts.is_module_class("P") and not facts.is_module_class("models.Plain")
    assert facts.module_instances == {"net", "models.net", "m.net"}
    assert facts.seeds("set_seed") == {"numpy", "torch"}  # through its own helper
    assert facts.seeds("prepare") == {"random"}
    assert facts.seeds("set_seed_badly") == frozenset()  # resolved: seeds nothing
    assert facts.seeds("unknown") is None


def test_relative_imports_and_packages(project):
    package = project / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("from .nets import Encoder\n")
    (package / "nets.py").write_text("import pytorch_lightning as pl\n\nclass Encoder(pl.LightningModule):\n    pass\n")
    (package / "seeding.py").write_text("from lightning import seed_everything\n\n"
                                        "def init():\n    seed_everything(1)\n")
    text = "from . import nets\nfrom .seeding import init\nfrom pkg import Encoder as E\n"
    facts = facts_for(project, "pkg/train.py", text).facts
    assert facts.is_module_class("E") and facts.is_module_class("nets.Encoder")
    assert facts.seeds("init") == {"numpy", "random", "torch"}


def test_libraries_and_missing_modules_are_not_looked_up(project):
    text = "import numpy as np\nimport os\nfrom sklearn.linear_model import Ridge\nfrom nowhere import Net\n"
    requests = crossfile.import_requests(crossfile.text_imports(text))
    assert [r.statement for r in requests] == ["from nowhere import Net"]  # no file system access yet
    assert crossfile.workspace_requests(requests, str(project / "t.py"), str(project)) == ()
    assert crossfile.resolve_external(str(project / "t.py"), requests, str(project)).facts == crossfile.EMPTY


def test_user_code_is_never_executed(project, tmp_path_factory):
    marker = tmp_path_factory.mktemp("marker") / "EXECUTED"
    (project / "evil.py").write_text(
        f"open({str(marker)!r}, 'w').write('ran')\nimport torch.nn as nn\n\nclass Net(nn.Module):\n    pass\n"
        "raise SystemExit('imported')\n")
    facts = facts_for(project, "train.py", "from evil import Net\n").facts
    assert facts.is_module_class("Net")  # understood by reading it...
    assert not marker.exists()  # ...not by running it
    assert not list(project.rglob("*.pyc")) and not (project / ".jedi").exists()  # nothing written into the tree


def test_cached_until_a_target_file_changes(project):
    text = "from models import Net\nfrom utils import set_seed\n"
    first = facts_for(project, "train.py", text)
    started = time.perf_counter()
    again = facts_for(project, "train.py", text + "\nx = 1\n")  # another version, same imports
    assert again is first and time.perf_counter() - started < 0.05
    (project / "models.py").write_text("class Net:\n    pass\n")
    changed = facts_for(project, "train.py", text)
    assert changed is not first and not changed.facts.is_module_class("Net")


def test_time_budget_is_respected(project):
    many = "".join(f"class Net{i}(Base):\n    pass\n" for i in range(200))
    (project / "many.py").write_text("from base import Base\n" + many)
    text = "".join(f"from many import Net{i}\n" for i in range(200))
    facts_for(project, "warm.py", "from models import Net\n")  # jedi imported: not part of the budget
    started = time.perf_counter()
    resolution = facts_for(project, "train.py", text, budget=0.05)
    elapsed = time.perf_counter() - started
    assert not resolution.complete
    assert elapsed < 0.5  # stops soon after the budget (one jedi look-up may be under way)
    assert len(resolution.facts.module_classes) < 200  # what was known by then
    assert facts_for(project, "train.py", text, budget=0.05) is not resolution  # partial answers are not cached


# ----- the rules with cross-file facts -------------------------------------------------------


def test_ml302_fires_only_with_cross_file_knowledge(project):
    text = EVAL_UNDER_NO_GRAD.format(name="Net")
    assert ("ML302", 5) not in codes_in(project, "train.py", text)
    facts = facts_for(project, "train.py", text).facts
    assert ("ML302", 5) in codes_in(project, "train.py", text, facts)


@pytest.mark.parametrize("name, fires", [("Child", True), ("Plain", False)])
def test_ml302_bases_through_other_files_and_plain_classes(project, name, fires):
    text = EVAL_UNDER_NO_GRAD.format(name=name)
    facts = facts_for(project, "train.py", text).facts
    assert (("ML302", 5) in codes_in(project, "train.py", text, facts)) is fires


def test_ml302_local_subclass_of_an_imported_module(project):
    text = "import torch\nfrom models import Net\n\nclass Big(Net):\n    pass\n\nmodel = Big()\n" \
           "with torch.no_grad():\n    model(x)\n"
    facts = facts_for(project, "train.py", text).facts
    assert ("ML302", 8) in codes_in(project, "train.py", text, facts)
    assert ("ML302", 8) not in codes_in(project, "train.py", text)


def test_ml304_on_an_imported_model_instance(project):
    text = "import torch\nfrom models import net, Net\n\nout = net.forward(x)\nbase = Net.forward(self, x)\n"
    facts = facts_for(project, "train.py", text).facts
    found = codes_in(project, "train.py", text, facts)
    assert ("ML304", 4) in found and ("ML304", 5) not in found
    assert ("ML304", 4) not in codes_in(project, "train.py", text)


# ----- the CLI ---------------------------------------------------------------------------------


def run_cli(*args: str, cwd: Path) -> list[dict]:
    done = subprocess.run([sys.executable, "-m", "mlreview", "check", *args, "--output-format", "json"],
                          cwd=cwd, capture_output=True, text=True, timeout=60)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


def test_cli_uses_cross_file_facts(project):
    (project / "train.py").write_text(EVAL_UNDER_NO_GRAD.format(name="Net"))
    found = run_cli(".", cwd=project)
    assert [(f["code"], Path(f["filename"]).name, f["location"]["row"]) for f in found
            if f["code"] == "ML302"] == [("ML302", "train.py", 5)]
    single = run_cli("train.py", cwd=project)  # a single file: its folder is the project
    assert any(f["code"] == "ML302" for f in single)


def test_cli_findings_do_not_depend_on_the_clock(project, monkeypatch, capsys):
    """A loaded machine must not change what the CLI reports: its resolution has no budget."""
    from mlreview.cli import main

    (project / "train.py").write_text(EVAL_UNDER_NO_GRAD.format(name="Child"))  # Child: base.py's module
    monkeypatch.chdir(project)
    slow = iter(range(0, 10 ** 9, 10))  # the resolver's clock moves ten seconds per reading
    monkeypatch.setattr(crossfile.time, "perf_counter", lambda: float(next(slow)))
    crossfile.clear_cache()
    assert main(["check", "train.py", "--output-format", "json"]) == 1
    found = json.loads(capsys.readouterr().out)
    assert [(f["code"], f["location"]["row"]) for f in found if f["code"] == "ML302"] == [("ML302", 5)]
    # The language server's budgeted resolution gives up under the same clock (and refines later).
    requests = crossfile.import_requests(crossfile.text_imports(EVAL_UNDER_NO_GRAD.format(name="Child")))
    crossfile.clear_cache()
    assert not crossfile.resolve_external(str(project / "train.py"), requests, str(project), 1.0).complete


# ----- ML103 / ML104 with seeding helpers of other files ------------------------------------------

ML1 = ("ML103", "ML104")


def seeding_codes(project: Path, text: str, external) -> set[str]:
    return {code for code, _ in codes_in(project, "train.py", text, external) if code in ML1}


@pytest.mark.parametrize("helper, without, with_facts", [
    ("set_seed", set(), set()),  # seeds numpy and torch (through its own helper): both silent
    ("set_seed_badly", set(), {"ML103", "ML104"}),  # named like a seeder, seeds nothing: the findings stay
    ("prepare", {"ML103", "ML104"}, {"ML103", "ML104"}),  # seeds only the stdlib's random
])
def test_seeding_helpers_of_other_files(project, helper, without, with_facts):
    text = SEEDED_BY.format(helper=helper)
    facts = facts_for(project, "train.py", text).facts
    assert seeding_codes(project, text, None) == without
    assert seeding_codes(project, text, facts) == with_facts


def test_helper_not_named_like_a_seeder_is_credited(project):
    (project / "setup_run.py").write_text("import numpy as np\nimport torch\n\n"
                                          "def prepare_run():\n    np.random.seed(0)\n    torch.manual_seed(0)\n")
    text = SEEDED_BY.format(helper="prepare_run").replace("from utils", "from setup_run")
    facts = facts_for(project, "train.py", text).facts
    assert seeding_codes(project, text, None) == {"ML103", "ML104"}
    assert seeding_codes(project, text, facts) == set()


def test_relative_import_of_a_helper_that_does_not_seed(project):
    package = project / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "utils.py").write_text(UTILS)
    text = SEEDED_BY.format(helper="set_seed_badly").replace("from utils", "from .utils")
    facts = facts_for(project, "pkg/train.py", text).facts
    assert facts.seeds("set_seed_badly") == frozenset()
    assert seeding_codes(project, text, None) == set()  # the name-based guess
    assert seeding_codes(project, text, facts) == {"ML103", "ML104"}


def test_ml104_on_an_imported_module_class_that_is_trained(project):
    text = "import torch\nfrom models import Net\n\nmodel = Net()\nopt = torch.optim.SGD(model.parameters(), lr=0.1)\n"
    facts = facts_for(project, "train.py", text).facts
    assert ("ML104", 4) in codes_in(project, "train.py", text, facts)
    assert "ML104" not in {code for code, _ in codes_in(project, "train.py", text)}


# ----- ML303: helpers of other files that switch modes -------------------------------------------

ENGINE = """\
import torch

def evaluate(net, loader):
    net.eval()
    with torch.no_grad():
        return sum(net(x).sum() for x in loader)

def evaluate_and_restore(net, loader):
    net.eval()
    score = sum(net(x).sum() for x in loader)
    net.train()
    return score
"""
EPOCHS_CALLING = """\
import torch
from engine import {helper}

model.train()
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    {helper}(model, val_loader)
"""


def test_mode_switches_of_other_files_are_resolved(project):
    (project / "engine.py").write_text(ENGINE)
    facts = facts_for(project, "train.py", EPOCHS_CALLING.format(helper="evaluate")).facts
    assert facts.mode_switch("evaluate") == crossfile.ModeSwitch(((0, "net"),), False)


@pytest.mark.parametrize("helper, fires", [("evaluate", True), ("evaluate_and_restore", False)])
def test_ml303_through_a_helper_of_another_file(project, helper, fires):
    (project / "engine.py").write_text(ENGINE)
    text = EPOCHS_CALLING.format(helper=helper)
    facts = facts_for(project, "train.py", text).facts
    assert ("ML303", 10) not in codes_in(project, "train.py", text)  # one file alone knows nothing of engine.py
    assert (("ML303", 10) in codes_in(project, "train.py", text, facts)) is fires
