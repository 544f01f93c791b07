"""ML3 training loops beyond the case files: spans, and fixes on layouts a case file cannot hold."""

from __future__ import annotations

import pytest
from support import assert_fix_contract, only

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
