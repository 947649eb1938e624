"""`python -m positions`: the command line (positions/cli.py)."""
import os
import sys

if os.environ.get("POSITIONS_FAKE_EMBEDDER") == "1":
    # Test mode: the hashing embedder needs no torch, but spaCy's thinc imports it whenever it is installed (2-3 s
    # per run). Keep it out so CLI tests start fast; spaCy parses on numpy either way, with the same results.
    sys.modules.setdefault("torch", None)

from .cli import main  # noqa: E402 (after the test-mode switch above)

sys.exit(main())
