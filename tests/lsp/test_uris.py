"""One spelling per document URI: what the server keys and compares by."""

from __future__ import annotations

import pytest

from mlreview.lsp.uris import normalise

SAME = [
    ("file:///home/u/my%20project/train.py", "file:///home/u/my project/train.py"),
    ("file:///home/u/donn%C3%A9es/train.py", "file:///home/u/données/train.py"),
    ("file:///c%3A/Users/Ana/train.py", "file:///C:/Users/Ana/train.py"),
    ("file:///C%3A/Users/Ana/train.py", "file:///c:/Users/Ana/train.py"),
    ("vscode-notebook-cell:/home/u/k.ipynb#W1sZmlsZQ%3D%3D", "vscode-notebook-cell:/home/u/k.ipynb#W1sZmlsZQ=="),
    ("vscode-notebook-cell:/c%3A/Users/k.ipynb#W0sZmlsZQ%3D%3D", "vscode-notebook-cell:/C:/Users/k.ipynb#W0sZmlsZQ=="),
]
DIFFERENT = [
    ("file:///c%3A/Users/Ana/train.py", "file:///d%3A/Users/Ana/train.py"),  # another drive
    ("file:///home/u/Train.py", "file:///home/u/train.py"),  # only the drive letter is case-blind
    ("file:///c%3A/Users/Ana/train.py", "file:///c%3A/users/ana/train.py"),
    ("vscode-notebook-cell:/home/u/k.ipynb#W0sZmlsZQ%3D%3D", "vscode-notebook-cell:/home/u/k.ipynb#W1sZmlsZQ%3D%3D"),
    ("vscode-notebook-cell:/home/u/k.ipynb#W0sZmlsZQ%3D%3D", "file:///home/u/k.ipynb"),
    ("untitled:Untitled-1", "untitled:Untitled-2"),
]


@pytest.mark.parametrize(("a", "b"), SAME)
def test_spellings_of_one_document_compare_equal(a, b):
    assert normalise(a) == normalise(b)


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_documents_stay_different(a, b):
    assert normalise(a) != normalise(b)


def test_the_normal_form_is_decoded_with_a_lower_case_drive():
    assert normalise("file:///C%3A/Users/My%20Project/caf%C3%A9.py") == "file:///c:/Users/My Project/café.py"
    assert normalise("untitled:Untitled-1") == "untitled:Untitled-1"
