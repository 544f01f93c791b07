"""ML3 training loops beyond the case files: spans, and fixes on layouts a case file cannot hold."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from mlreview.rules.config import Settings
from support import assert_fix_contract, codes, findings, fix_all, only

NET = """
import torch
import torch.nn as nn

class Net(nn.Module):
    def forward(self, x):
        return x
"""


@pytest.mark.parametrize("source", [
    "import torch\nfor x in loader:\n\tloss(x).backward()\n\tif ready: opt.step()\n",
    "import torch\r\nfor x in loader:\r\n    loss(x).backward()\r\n    opt.step()\r\n",
], ids=["tab indentation", "CRLF line endings"])
def test_zero_grad_fix_contract_on_other_layouts(source):
    assert_fix_contract(source, "ML301")


def test_missing_eval_mode_span_is_the_no_grad_item():
    span = only(NET + "\nmodel = Net()\nwith torch.no_grad():\n    predictions = model(X_valid)\n", "ML302").span
    assert (span.line, span.col, span.end_line, span.end_col) == (10, 5, 10, 20)  # `torch.no_grad()`


# ----- round 2 tier-2 rules: ML303, ML308 ------------------------------------------------------

EXAMPLE_HABITS = Path(__file__).parent.parent / "examples" / "torch_habits.py"


def test_torch_habits_example_shows_the_findings_its_docstring_lists():
    text = EXAMPLE_HABITS.read_text()
    listed = sorted((code, int(line)) for line, code in re.findall(r"^  (\d+): (ML\d{3})", text, re.MULTILINE))
    mine = ("ML105", "ML303", "ML308", "ML602")
    shown = [(f.code, f.span.line) for f in findings(text, settings=Settings(extend_select=mine)) if f.code in mine]
    assert sorted(shown) == listed


def test_eval_in_the_epoch_loop_and_no_grad_without_eval_fix_all_to_a_clean_loop():
    source = """
        import torch
        import torch.nn as nn
        net = nn.Sequential(nn.Linear(4, 8), nn.Dropout(0.2), nn.Linear(8, 1))
        opt = torch.optim.Adam(net.parameters())
        for epoch in range(5):
            for x, y in loader:
                opt.zero_grad()
                nn.functional.mse_loss(net(x), y).backward()
                opt.step()
            net.eval()
            with torch.no_grad():
                print(net(x_val))
    """
    loop_rules = ("ML301", "ML302", "ML303")
    assert [code for code, _ in codes(source) if code in loop_rules] == ["ML303"]
    fixed = fix_all(source)
    assert "    net.train()\n    for x, y in loader:" in fixed
    assert [code for code, _ in codes(fixed) if code in loop_rules] == []


def test_train_mode_not_restored_sits_on_the_eval_call_with_a_warning():
    finding = only("""
        import torch
        model.train()
        for epoch in range(3):
            for x, y in loader:
                optimizer.zero_grad()
                criterion(model(x), y).backward()
                optimizer.step()
            model.eval()
    """, "ML303")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (9, 4, 16)
    assert finding.rule.severity.value == "warning" and "`model.train()`" in finding.message


def test_softmax_before_cross_entropy_is_an_error_on_the_loss_input():
    finding = only("""
        import torch.nn.functional as F
        loss = F.cross_entropy(F.softmax(logits, dim=1), labels)
    """, "ML308")
    assert (finding.span.line, finding.span.col, finding.span.end_col) == (3, 23, 47)
    assert finding.rule.severity.value == "error" and "applied twice" in finding.message


def test_softmax_fix_keeps_a_multiline_input():
    fixed = fix_all("""
        import torch.nn.functional as F
        loss = F.cross_entropy(
            F.softmax(
                encoder(x) + bias,
                dim=-1,
            ),
            labels,
        )
    """)
    assert "F.cross_entropy(\n    encoder(x) + bias,\n    labels," in fixed
