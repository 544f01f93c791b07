"""No rule is worse than linear in the size of a statement or a module (issue 17.2).

Each rule's own flagged example is grown three ways: calls with n more arguments (one wide
statement), the example n times inside one function (one long compound statement), the
example n times in a module. The analysis CPU time at 10n must stay well under 100x the
time at n (quadratic); linear is 10x, and the bound leaves room for a loaded machine.
ML207, quadratic before, is checked in the default suite; every family under `make fuzz`
(MLREVIEW_FUZZ=1).
"""

from __future__ import annotations

import ast
import os
import textwrap
import time
from collections import defaultdict

import pytest

from mlreview.engine import analyse_source
from mlreview.parse.source import SourceText
from mlreview.diagnostics import REGISTRY

RATIO_BOUND = 30
FULL = bool(os.environ.get("MLREVIEW_FUZZ"))
# What the rules' short examples take for granted, so that each example is flagged.
HEADER = """\
import pickle
import joblib
import yaml
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from imblearn.over_sampling import SMOTE
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import cross_val_score, train_test_split
from sklearn.preprocessing import StandardScaler
from transformers import AutoModel
df = pd.read_csv("data.csv")
X, y = df.drop(columns=["target"]), df["target"]
scaler = StandardScaler()
model = RandomForestClassifier(random_state=0)
"""


class WidenCalls(ast.NodeTransformer):
    def __init__(self, extra: int):
        self.extra = extra

    def visit_Call(self, node: ast.Call) -> ast.Call:
        self.generic_visit(node)
        node.args = [*node.args, *(ast.Name(f"arg_{i}", ast.Load()) for i in range(self.extra))]
        return node


def wide(example: str, n: int) -> str:
    return ast.unparse(WidenCalls(n).visit(ast.parse(example)))


class FreshNames(ast.NodeTransformer):
    """Copy `k` of an example: the names it assigns become `name_k`, so copies do not feed each
    other (a data set transformed n times is a longer lineage, not a bigger statement)."""

    def __init__(self, copy: int):
        self.copy = copy
        self.assigned: set[str] = set()

    def rename(self, tree: ast.Module) -> str:
        for stmt in tree.body:
            stores = {n.id for n in ast.walk(stmt) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            self.visit(stmt)
            self.assigned |= stores
        return ast.unparse(tree)

    def visit_Name(self, node: ast.Name) -> ast.Name:
        if isinstance(node.ctx, ast.Store) or node.id in self.assigned:
            node.id = f"{node.id}_{self.copy}"
        return node


def copies(example: str, n: int) -> list[str]:
    return [FreshNames(k).rename(ast.parse(example)) for k in range(n)]


def compound(example: str, n: int) -> str:
    return "def pipeline():\n" + "".join("    pass\n" + textwrap.indent(code, "    ") + "\n"
                                         for code in copies(example, n))


def module(example: str, n: int) -> str:
    return "".join(code + "\n" for code in copies(example, n))


GROWTHS = {"wide": (wide, 300), "compound": (compound, 30), "module": (module, 30)}


def cpu_seconds(text: str) -> float:
    best = float("inf")
    for _ in range(2):
        started = time.process_time()
        result = analyse_source(SourceText(text))
        best = min(best, time.process_time() - started)
        assert not result.rule_errors, result.rule_errors
    return best


def ratio(example: str, growth: str) -> float:
    grow, n = GROWTHS[growth]
    small, large = cpu_seconds(HEADER + grow(example, n)), cpu_seconds(HEADER + grow(example, 10 * n))
    return large / max(small, 0.02)  # a tiny base time says nothing about growth


def family_examples() -> dict[str, list[str]]:
    families = defaultdict(list)
    for rule in REGISTRY:
        families[rule.code[:3]].append(textwrap.dedent(rule.bad))
    return families


@pytest.mark.parametrize("growth", sorted(GROWTHS))
def test_target_in_features_is_linear(growth):
    example = 'parts = train_test_split(df.drop(columns=["a"]), df["b"], df, df["target"])\n'
    assert "ML207" in {f.code for f in analyse_source(SourceText(HEADER + example)).findings}
    assert ratio(example, growth) < RATIO_BOUND


@pytest.mark.skipif(not FULL, reason="every family: `make fuzz`")
@pytest.mark.parametrize("family", sorted(family_examples()))
@pytest.mark.parametrize("growth", sorted(GROWTHS))
def test_every_family_is_linear(family, growth):
    example = "\n".join(family_examples()[family])
    measured = ratio(example, growth)
    assert measured < RATIO_BOUND, f"{family} grown {growth}: 10x the size took {measured:.0f}x the time"
