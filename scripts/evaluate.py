"""Evaluate every labelled negotiation in data/eval (dev and held-out) and write data/eval/<name>/latest.json.

Usage: python scripts/evaluate.py   (the dashboard's Quality panel reads latest.json; the README's
evaluation table between the eval-figures markers is rewritten from the same figures)
"""
from __future__ import annotations

import datetime as dt
import json
import os
import re
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from positions.embeddings import make_embedder  # noqa: E402
from positions.evaluation import evaluate_files  # noqa: E402

HEADLINE = ("holder_accuracy", "stance_accuracy", "topic_macro_f1", "numbers_recall", "date_accuracy",
            "no_position_accuracy")


def headline(report: dict) -> dict:
    return {"holder_accuracy": report["holder_accuracy"], "stance_accuracy": report["stance_accuracy"],
            "stance_accuracy_found": report["stance_accuracy_found"],
            "topic_macro_f1": report["topic"]["macro_f1"], "numbers_precision": report["numbers"]["precision"],
            "numbers_recall": report["numbers"]["recall"], "date_accuracy": report["date_accuracy"],
            "no_position_accuracy": report["no_position_accuracy"], "sentences": report["sentences"]}


TARGETS = {"holder_accuracy": 0.90, "stance_accuracy": 0.80, "topic_macro_f1": 0.85, "numbers_recall": 0.95,
           "date_accuracy": 0.90, "no_position_accuracy": 0.90}


def readme_table(results: dict[str, dict]) -> str:
    columns = list(TARGETS) + ["stance_accuracy_found"]
    rows = ["| negotiation | split | sentences | " + " | ".join(c.replace("_", " ") for c in columns) + " |",
            "|---|---|---|" + "---|" * len(columns),
            "| target (held-out) | | | " + " | ".join(f"{TARGETS[c]:.2f}" if c in TARGETS else "" for c in columns)
            + " |"]
    for name, result in results.items():
        for split in ("dev", "heldout"):
            if split in result:
                figures = result[split]
                cells = [f"{figures[c]:.3f}" if figures.get(c) is not None else "n/a" for c in columns]
                rows.append(f"| {name} | {split} | {figures['sentences']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def write_readme(results: dict[str, dict]) -> None:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = (f"<!-- eval-figures -->\nMeasured {dt.date.today().isoformat()} with `python scripts/evaluate.py` "
             "(stance accuracy found: on positions found with the right holder and topic).\n\n"
             + readme_table(results) + "\n<!-- /eval-figures -->")
    readme.write_text(re.sub(r"<!-- eval-figures -->.*?<!-- /eval-figures -->", lambda _: block, text, flags=re.S),
                      encoding="utf-8")


def main() -> int:
    embedder = make_embedder()
    results: dict[str, dict] = {}
    print(f"{'negotiation':22} {'split':8} " + " ".join(f"{h[:14]:>14}" for h in HEADLINE))
    for folder in sorted((REPO / "data" / "eval").iterdir()):
        negotiation = REPO / "data" / "negotiations" / folder.name
        if not folder.is_dir() or not negotiation.is_dir():
            continue
        result = {"measured": dt.date.today().isoformat(), "command": "python scripts/evaluate.py"}
        for split in ("dev", "heldout"):
            labels = folder / f"{split}.jsonl"
            if labels.exists():
                report = evaluate_files([str(labels)], str(negotiation), embedder=embedder)
                result[split] = headline(report)
                print(f"{folder.name:22} {split:8} " + " ".join(
                    f"{result[split][h] if result[split][h] is not None else float('nan'):>14.3f}" for h in HEADLINE))
        (folder / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        results[folder.name] = result
    write_readme(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
