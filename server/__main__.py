"""`python -m mlreview`: the command line (and `python -m mlreview server`, the language server)."""

import os
import sys

# `python -m` puts the working directory first on sys.path. mlreview runs inside the
# repository it reviews, so a checked project's `argparse.py` or `json.py` would be
# imported (executed) in place of the standard library: drop that entry first.
if sys.path and sys.path[0] and os.path.realpath(sys.path[0]) == os.path.realpath(os.getcwd()):
    del sys.path[0]

from mlreview.cli import main  # noqa: E402

raise SystemExit(main())
