"""The fuzz campaign as a permanent test (fuzzing.py has the mutator and the properties).

The default suite runs a few hundred inputs with a fixed seed (seconds); `make fuzz`
runs thousands with larger literals (MLREVIEW_FUZZ_CASES, MLREVIEW_FUZZ_SEED).
"""

from __future__ import annotations

import os

from fuzzing import campaign

CASES = int(os.environ.get("MLREVIEW_FUZZ_CASES", "200"))
SEED = int(os.environ.get("MLREVIEW_FUZZ_SEED", "20261203"))
BIG = int(os.environ.get("MLREVIEW_FUZZ_BIG", "300"))


def test_mutated_inputs_keep_every_property(tmp_path):
    ran, failures = campaign(tmp_path, CASES, SEED, BIG)
    assert ran == CASES
    assert not failures, f"{len(failures)} of {ran} inputs failed:\n" + "\n".join(failures[:20])
