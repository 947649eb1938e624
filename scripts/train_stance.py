"""Retrain the shipped stance model (positions/resources/stance_model.safetensors) from the development data only.

Usage: python scripts/train_stance.py [--out FILE]   (about 45 min on 2 cores)

Trained on: every data/stance_sentences/dev-*.jsonl and the dev.jsonl of every labelled negotiation except the
unseen ones (data/eval/<name>/UNSEEN.txt). Never on held-out files: they stay a measurement.
"""
from __future__ import annotations

import os
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from positions.cli import main  # noqa: E402
from positions.stance_model import DEFAULT_WEIGHTS  # noqa: E402


def training_arguments() -> list[str]:
    """The data of the shipped model, as paths relative to the repository."""
    sentences = sorted((REPO / "data" / "stance_sentences").glob("dev-*.jsonl"))
    labels = []
    for folder in sorted((REPO / "data" / "eval").iterdir()):
        negotiation = REPO / "data" / "negotiations" / folder.name
        if (folder / "dev.jsonl").is_file() and negotiation.is_dir() and not (folder / "UNSEEN.txt").exists():
            labels += ["--labels", f"{(folder / 'dev.jsonl').relative_to(REPO)}={negotiation.relative_to(REPO)}"]
    return [str(path.relative_to(REPO)) for path in sentences] + labels


if __name__ == "__main__":
    os.chdir(REPO)
    out = sys.argv[sys.argv.index("--out") + 1] if "--out" in sys.argv else str(DEFAULT_WEIGHTS.relative_to(REPO))
    sys.exit(main(["train-stance", *training_arguments(), "--out", out]))
