"""Shared helpers for the reliability suite: run the engine and insist on a clear outcome.

"Clear outcome" means: findings (possibly none), parse problems for what does not
parse, and no rule failing; never an exception escaping, and within a time bound.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples"
sys.path.insert(0, str(ROOT / "tests"))  # tests/support.py
sys.path.insert(0, str(ROOT))  # bench.corpus

from mlreview.engine import AnalysisResult, analyse_source  # noqa: E402
from mlreview.parse.source import SourceText  # noqa: E402

# Bounds are in CPU seconds of this process: other work on this 2-core machine
# stretches wall-clock time, not the CPU time our code needs.
ADVERSARIAL_CPU_SECONDS = 3.0


def pytest_configure(config):
    config.addinivalue_line("markers", "slow: runs over the whole scikit-learn examples corpus")


def analyse_cleanly(text: str | SourceText, limit: float = ADVERSARIAL_CPU_SECONDS) -> AnalysisResult:
    """Analyse; fail on an escaping exception, a failed rule or a run over `limit` CPU seconds."""
    source = text if isinstance(text, SourceText) else SourceText(text)
    started = time.process_time()
    result = analyse_source(source)
    spent = time.process_time() - started
    assert not result.rule_errors, f"rules failed: {result.rule_errors}"
    assert spent < limit, f"analysis took {spent:.2f} s of CPU (limit {limit} s)"
    return result


def example_scripts() -> list[Path]:
    return sorted(EXAMPLES.glob("*.py"))


@pytest.fixture(scope="session")
def sklearn_files() -> list[Path]:
    """scikit-learn 1.2.1's example scripts (fetched once with apt-get download)."""
    try:
        from bench.corpus import CorpusUnavailable, example_files
    except ImportError as exc:  # pragma: no cover
        pytest.skip(f"bench.corpus is not importable: {exc}")
    try:
        return example_files()
    except CorpusUnavailable as exc:
        pytest.skip(f"scikit-learn examples corpus unavailable: {exc}")
