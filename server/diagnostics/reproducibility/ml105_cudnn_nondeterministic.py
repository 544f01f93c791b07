"""ML105 cudnn-nondeterministic."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator

from ...facts.rng_seeding import TORCH, Seeding
from ...facts.training_calls import ancestors_in_scope
from ...model.call_sites import attribute_nodes
from ...model.calls import argument
from ...model.module_model import ModuleModel
from ...parse.positions import Span
from ...rules.findings import Edit, Finding, Fix, Severity
from ...rules.rule import Rule
from ..training.insertions import insertion_after, insertion_edit
from . import AREA, PRINCIPLE

CUDNN_NONDETERMINISTIC = Rule(
    code="ML105",
    name="cudnn-nondeterministic",
    severity=Severity.INFORMATION,
    principle=PRINCIPLE,
    area=AREA,
    summary="A file that seeds torch turns on `torch.backends.cudnn.benchmark` or calls "
    "`torch.use_deterministic_algorithms(False)`.",
    why="Seeding asks for repeatable runs; cuDNN's benchmark mode then times several convolution "
    "algorithms on each run and keeps the fastest, which varies with the machine's load, and "
    "non-deterministic kernels sum in a different order each time. Two runs of the same seeded "
    "script still end in different weights, so a small improvement cannot be told from noise.",
    bad="torch.manual_seed(SEED)\ntorch.backends.cudnn.benchmark = True",
    good="torch.manual_seed(SEED)\ntorch.backends.cudnn.benchmark = False\n"
    "torch.backends.cudnn.deterministic = True",
    fix_title="Use deterministic cuDNN settings",
)

BENCHMARK = "torch.backends.cudnn.benchmark"
DETERMINISTIC = "torch.backends.cudnn.deterministic"
USE_DETERMINISTIC = ("torch.use_deterministic_algorithms",)
# An `if` on such a flag offers a deterministic mode and a fast one: a choice, not an oversight.
DETERMINISM_FLAG = re.compile(r"determinis|benchmark|reproduc|seed", re.IGNORECASE)


@CUDNN_NONDETERMINISTIC.checker
def check_cudnn_nondeterministic(model: ModuleModel, rule: Rule) -> Iterator[Finding]:
    if not model.imports_any("torch"):
        return
    if "cudnn" not in model.source.text and not any(True for _ in model.calls(*USE_DETERMINISTIC)):
        return  # a cheap look before indexing every attribute of the file
    switches = benchmark_switches(model) + nondeterministic_calls(model)
    if not switches or not Seeding(model).seeded_somewhere(TORCH):
        return
    deterministic_elsewhere = sets_cudnn_deterministic(model)
    for chunk, node, data in sorted(switches, key=lambda entry: (entry[0].absolute_line(entry[1].lineno),
                                                                 entry[1].col_offset)):
        if chosen_by_flag(model, chunk, node):
            continue
        message = ("`cudnn.benchmark = True` picks the fastest convolution algorithm anew on each run"
                   if "benchmark" in data else
                   "`use_deterministic_algorithms(False)` lets torch use non-deterministic kernels")
        message += ": this file seeds torch, yet runs still differ"
        if "benchmark" in data and not deterministic_elsewhere:
            data["insertion"] = insertion_after(model, chunk, node, [f"{data['prefix']}.deterministic = True"])
            data["anchor"] = model.line_text(data["insertion"][0]).strip()
        yield rule.finding(model, node, message, chunk=chunk, **data)


def benchmark_switches(model: ModuleModel) -> list:
    """`torch.backends.cudnn.benchmark = True` statements, with the data their fix needs."""
    found = []
    for chunk, attribute in attribute_nodes(model, "benchmark"):
        statement = getattr(attribute, "_parent", None)
        if not (isinstance(statement, ast.Assign) and attribute in statement.targets and len(statement.targets) == 1):
            continue
        value = statement.value
        if not (isinstance(value, ast.Constant) and value.value is True) or model.resolve(attribute) != BENCHMARK:
            continue
        span = model.span(chunk, value)
        found.append((chunk, statement, {
            "benchmark": [span.line, span.col, span.end_line, span.end_col],
            "prefix": model.text_of(chunk, attribute.value),
        }))
    return found


def nondeterministic_calls(model: ModuleModel) -> list:
    """`torch.use_deterministic_algorithms(False)` calls; fixable when the call is a statement of its own."""
    found = []
    for chunk, call in model.calls(*USE_DETERMINISTIC):
        flag = argument(call, 0, "mode")
        if not (isinstance(flag, ast.Constant) and flag.value is False):
            continue
        statement = getattr(call, "_parent", None)
        data: dict = {"fixable": False}
        if isinstance(statement, ast.Expr) and statement.lineno == statement.end_lineno \
                and isinstance(call.func, ast.Attribute):
            span = model.span(chunk, call)
            torch = model.text_of(chunk, call.func.value)
            data = {"replace": [span.line, span.col, span.end_line, span.end_col],
                    "replacement": f"{torch}.backends.cudnn.deterministic = True; "
                                   f"{torch}.backends.cudnn.benchmark = False",
                    "expected": model.text_of(chunk, call)}
        found.append((chunk, call, data))
    return found


def sets_cudnn_deterministic(model: ModuleModel) -> bool:
    """`torch.backends.cudnn.deterministic = True` anywhere: the fix need not add it."""
    for _, attribute in attribute_nodes(model, "deterministic"):
        statement = getattr(attribute, "_parent", None)
        if isinstance(statement, ast.Assign) and attribute in statement.targets \
                and isinstance(statement.value, ast.Constant) and statement.value.value is True \
                and model.resolve(attribute) == DETERMINISTIC:
            return True
    return False


def chosen_by_flag(model: ModuleModel, chunk, node: ast.AST) -> bool:
    """Inside an `if` that tests a determinism or benchmark flag (`if args.deterministic: ... else: ...`)."""
    for ancestor in ancestors_in_scope(node):
        if isinstance(ancestor, ast.If) and DETERMINISM_FLAG.search(model.text_of(chunk, ancestor.test)):
            return True
    return False


@CUDNN_NONDETERMINISTIC.fixer
def fix_cudnn_nondeterministic(text: str, finding: Finding) -> Fix | None:
    from ...parse.chunks import split_lines

    lines = split_lines(text)
    data = finding.data
    if "benchmark" in data:
        line, col, end_line, end_col = data["benchmark"]
        if not (0 < line <= len(lines)) or lines[line - 1][col:end_col] != "True":
            return None
        edits = [Edit(Span(line, col, end_line, end_col), "False")]
        if "insertion" in data:
            insertion = insertion_edit(lines, data["insertion"], data["anchor"])
            if insertion is None:
                return None
            edits.append(insertion)
        return Fix("Set `cudnn.benchmark = False` and `cudnn.deterministic = True`", tuple(edits))
    line, col, end_line, end_col = data["replace"]
    if not (0 < line <= len(lines)) or lines[line - 1][col:end_col] != data["expected"]:
        return None
    return Fix("Use deterministic cuDNN settings", (Edit(Span(line, col, end_line, end_col), data["replacement"]),))
