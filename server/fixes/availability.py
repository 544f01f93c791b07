"""Whether fixes can be built here: they need libcst's compiled parser.

A bundle for another platform, or a Python version without a libcst wheel, has
`libcst` but not its `native` module: findings still work (they never parse with
libcst), so fixes are simply not offered rather than offered and then failing.
"""

from __future__ import annotations

import functools
import logging

log = logging.getLogger("mlreview")


@functools.cache
def fixes_available() -> bool:
    try:
        from libcst import native  # noqa: F401  (the compiled parser every fix uses)
    except ImportError as error:
        log.warning("fixes are off: libcst's parser cannot be loaded (%s)", error)
        return False
    return True
