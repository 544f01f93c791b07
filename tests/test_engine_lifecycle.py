"""An analysis can be cancelled and leaves its analyzer usable; a released document's
memory goes back; docsBaseUrl must be a URL."""

from __future__ import annotations

import gc
import threading
import time
import tracemalloc
import weakref

import pytest

from mlreview.parse.cancel import AnalysisCancelled, Cancellation
from mlreview.rules.config import Settings, parse_settings
from mlreview.engine import DocumentAnalyzer, analyse_text
from mlreview.parse.source import SourceText


def pipelines(groups: int) -> str:
    lines = ["import pandas as pd", "from sklearn.model_selection import train_test_split",
             "from sklearn.preprocessing import StandardScaler"]
    for i in range(groups):
        lines += [f"df{i} = pd.read_csv('d{i}.csv')", f"X{i} = StandardScaler().fit_transform(df{i})",
                  f"a{i}, b{i} = train_test_split(X{i})"]
    return "\n".join(lines) + "\n"


def test_a_cancelled_analysis_stops_soon_and_the_analyzer_stays_right():
    text = pipelines(3000)  # seconds of rules (1,200 groups now take about the 0.5 s before the cancel)
    analyzer = DocumentAnalyzer("/project/train.py")
    cancellation = Cancellation()
    timer = threading.Timer(0.5, cancellation.cancel)
    timer.start()
    started = time.monotonic()
    with pytest.raises(AnalysisCancelled):
        analyzer.analyse(SourceText(text), cancellation=cancellation)
    late = time.monotonic() - started - 0.5
    assert late < 1.0, f"stopped {late:.2f} s after the cancel"
    edited = text.replace("df7 = ", "df7b = df7 = ")
    again = analyzer.analyse(SourceText(edited))
    fresh = analyse_text(edited, path="/project/train.py")
    assert [(f.code, f.span) for f in again.findings] == [(f.code, f.span) for f in fresh.findings]


def test_a_cancellation_set_before_the_analysis_stops_it_at_once():
    cancellation = Cancellation()
    cancellation.cancel()
    with pytest.raises(AnalysisCancelled):
        DocumentAnalyzer().analyse(SourceText(pipelines(2)), cancellation=cancellation)


def test_a_released_document_gives_its_memory_back():
    text = "import numpy as np\n" + "".join(f"x{i} = np.zeros({i})\n" for i in range(5000))
    DocumentAnalyzer("/warm.py").analyse(SourceText(text))  # first-use caches, interned names
    gc.collect()
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        analyzer = DocumentAnalyzer("/project/big.py")
        analyzer.analyse(SourceText(text))
        analyzer.analyse(SourceText(text + "y = 1\n"))
        # a sample: weak references to all would themselves weigh in what is measured
        trees = [weakref.ref(c.tree) for c in analyzer.model.chunks[::100] if c.tree is not None]
        trees.append(weakref.ref(analyzer.model))
        held = tracemalloc.get_traced_memory()[0] - before
        analyzer.release()
        del analyzer
        gc.collect()
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert trees and all(tree() is None for tree in trees)
    assert kept < held * 0.15, f"kept {kept} of {held} bytes"  # dict tables do not shrink


TORCH_TRAINING = """import torch
from torch import nn
from sklearn.svm import SVC

class Net(nn.Module):
    pass

net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
for batch in range(3):
    loss = net(batch)
    loss.backward()
    optimizer.step()
with torch.no_grad():
    net(1)
SVC().fit([[0]], [0])
"""


def test_facts_are_built_once_per_version_and_go_with_it():
    from mlreview.facts.module_classes import module_classes
    from mlreview.facts.torch_models import loops_with_backward, torch_models
    from mlreview.facts.training_calls import first_training_call

    analyzer = DocumentAnalyzer("/project/train.py")
    first = analyzer.analyse(SourceText(TORCH_TRAINING)).model
    built = dict(first.built_facts)
    # the rules asked for them while analysing: each is built once and kept on the model
    assert {fact.__wrapped__ for fact in (loops_with_backward, first_training_call, torch_models)} <= set(built)
    assert torch_models(first) is torch_models(first) and module_classes(first) == {"Net"}
    second = analyzer.analyse(SourceText(TORCH_TRAINING + "y = 1\n")).model
    assert torch_models(second) is not torch_models(first)
    versions = [weakref.ref(first), weakref.ref(second)]
    del first, second, built
    analyzer.release()
    gc.collect()
    assert all(version() is None for version in versions)


@pytest.mark.parametrize("value", ["https://example.com/docs/", "http://localhost:8000/rules",
                                   "file:///usr/share/doc/mlreview"])
def test_docs_base_url_accepts_web_and_file_urls(value):
    settings, errors = parse_settings({"docsBaseUrl": value}, "editor settings", editor=True)
    assert not errors and settings.docs_base_url == value.rstrip("/")


@pytest.mark.parametrize("value", ["docs", "ftp://example.com/docs", "javascript:alert(1)", "http://",
                                   "https://exa mple.com", "file://", "www.example.com/docs"])
def test_docs_base_url_rejects_what_is_not_a_url(value):
    settings, errors = parse_settings({"docsBaseUrl": value}, "editor settings", editor=True)
    assert len(errors) == 1 and "expected an http, https or file URL" in errors[0] and "docsBaseUrl" in errors[0]
    assert settings.docs_base_url == Settings().docs_base_url
