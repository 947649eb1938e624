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

from positions.config import Settings, with_overrides  # noqa: E402
from positions.embeddings import make_embedder  # noqa: E402
from positions.evaluation import QUALITY_TARGETS, evaluate_files  # noqa: E402
from positions.stance_model import DEFAULT_WEIGHTS, read_metadata  # noqa: E402

HEADLINE = ("holder_accuracy", "stance_accuracy", "topic_macro_f1", "numbers_recall", "date_accuracy",
            "no_position_accuracy")


def headline(report: dict) -> dict:
    return {"holder_accuracy": report["holder_accuracy"], "stance_accuracy": report["stance_accuracy"],
            "stance_accuracy_found": report["stance_accuracy_found"],
            "stance_accuracy_sure": report["stance_sure"]["accuracy"],
            "stance_sure_coverage": report["stance_sure"]["coverage"],
            "topic_macro_f1": report["topic"]["macro_f1"], "numbers_precision": report["numbers"]["precision"],
            "numbers_recall": report["numbers"]["recall"], "date_accuracy": report["date_accuracy"],
            "no_position_accuracy": report["no_position_accuracy"], "sentences": report["sentences"]}


TARGETS = QUALITY_TARGETS
RULES = with_overrides(Settings(), {"stance.method": "rules"})  # the dependency rules alone, for comparison
MODEL_ALONE = with_overrides(Settings(), {"stance.rules_weight": 0.0})  # the stance model without the rules' vote


def readme_table(results: dict[str, dict]) -> str:
    columns = list(TARGETS) + ["stance_accuracy_found", "stance_accuracy_sure", "stance_sure_coverage",
                               "stance_accuracy_model_alone", "stance_accuracy_rules", "stance_human_agreement"]
    rows = ["| negotiation | split | sentences | " + " | ".join(c.replace("_", " ") for c in columns) + " |",
            "|---|---|---|" + "---|" * len(columns),
            "| target (held-out) | | | " + " | ".join(f"{TARGETS[c]:.2f}" if c in TARGETS else "" for c in columns)
            + " |"]
    for name, result in results.items():
        for split in ("dev", "heldout"):
            if split in result:
                figures = result[split]
                cells = [f"{figures[c]:.3f}" if figures.get(c) is not None else "n/a" for c in columns]
                label = f"{name} (unseen)" if result.get("unseen") else name
                split_label = f"{split} *" if split in result.get("in_stance_training", ()) else split
                rows.append(f"| {label} | {split_label} | {figures['sentences']} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def stance_sentence_table(results: dict[str, dict]) -> str:
    rows = ["| sentences | split | count | stance accuracy | stance accuracy (model alone) | stance accuracy (rules) "
            "| stance accuracy sure | stance sure coverage | holder found |", "|---|---|---|---|---|---|---|---|---|"]
    for name, report in results.items():
        split = "held-out" if name.startswith("heldout") else "dev (the model is trained on it)"
        rows.append(f"| {name} | {split} | {report['sentences']} | {report['stance_accuracy']:.3f} | "
                    f"{report['stance_accuracy_model_alone']:.3f} | {report['stance_accuracy_rules']:.3f} | "
                    f"{report['stance_accuracy_sure']:.3f} | {report['stance_sure_coverage']:.3f} | "
                    f"{report['holder_found']:.3f} |")
    return "\n".join(rows)


def write_readme(results: dict[str, dict], stance_results: dict[str, dict]) -> None:
    readme = REPO / "README.md"
    text = readme.read_text(encoding="utf-8")
    block = (f"<!-- eval-figures -->\nMeasured {dt.date.today().isoformat()} with `python scripts/evaluate.py` "
             "(stance accuracy found: on positions found with the right holder and topic; stance accuracy sure: on "
             "the positions whose stance is shown as sure (`stance.sure_probability`), which make up the stance sure "
             "coverage; stance accuracy model "
             "alone: with `stance.rules_weight=0`, the stance model without the rules' vote; stance accuracy rules: "
             "with `stance.method=rules`, the dependency rules alone). Splits marked * are in the shipped "
             "stance model's training data, so their stance figures are training-set figures.\n\n"
             + readme_table(results) + "\n\nStance on single sentences from other negotiations "
             "(`python -m positions eval-stance FILE`):\n\n" + stance_sentence_table(stance_results)
             + "\n<!-- /eval-figures -->")
    readme.write_text(re.sub(r"<!-- eval-figures -->.*?<!-- /eval-figures -->", lambda _: block, text, flags=re.S),
                      encoding="utf-8")


def agreement_by_split() -> dict[tuple[str, str], float]:
    from agreement import agreement_pairs  # scripts/agreement.py

    groups: dict[tuple[str, str], list] = {}
    for row_id, pair in agreement_pairs():
        negotiation, split, _ = row_id.split("/")
        groups.setdefault((negotiation, split), []).append(pair)
    return {key: round(sum(a == b for a, b in pairs) / len(pairs), 3) for key, pairs in groups.items()}


def stance_sentence_results() -> dict[str, dict]:
    """eval-stance on each file of data/stance_sentences (the dev-* files together)."""
    from positions.pipeline import load_spacy
    from positions.stance_eval import load_stance_rows, score_stance
    from positions.stance_model import make_stance_classifier

    nlp = load_spacy(Settings().pipeline.spacy_model)
    classifier = make_stance_classifier(Settings().stance)
    folder = REPO / "data" / "stance_sentences"
    groups = {"dev-*.jsonl": sorted(folder.glob("dev-*.jsonl")), "heldout-*.jsonl": sorted(folder.glob("heldout-*.jsonl"))}
    out = {}
    for name, files in groups.items():
        if files:
            rows = load_stance_rows(files)
            report = score_stance(rows, nlp, classifier)
            out[name] = {k: report[k] for k in ("sentences", "stance_accuracy", "stance_accuracy_model_alone",
                                                "stance_accuracy_rules", "stance_accuracy_sure",
                                                "stance_sure_coverage", "holder_found")}
            print(f"stance sentences {name:16} {out[name]['stance_accuracy']:.3f} model alone "
                  f"{out[name]['stance_accuracy_model_alone']:.3f} rules {out[name]['stance_accuracy_rules']:.3f} "
                  f"(n={out[name]['sentences']})")
    return out


def main() -> int:
    embedder = make_embedder()
    agreement = agreement_by_split()
    trained_on = " ".join(read_metadata(DEFAULT_WEIGHTS).get("trained_on", []))  # "FILE=NEGOTIATION_DIR" entries
    results: dict[str, dict] = {}
    print(f"{'negotiation':22} {'split':8} " + " ".join(f"{h[:14]:>14}" for h in HEADLINE))
    for folder in sorted((REPO / "data" / "eval").iterdir()):
        negotiation = REPO / "data" / "negotiations" / folder.name
        if not folder.is_dir() or not negotiation.is_dir():
            continue
        result = {"measured": dt.date.today().isoformat(), "command": "python scripts/evaluate.py",
                  "unseen": (folder / "UNSEEN.txt").exists(),
                  "in_stance_training": [split for split in ("dev", "heldout")
                                         if f"data/eval/{folder.name}/{split}.jsonl" in trained_on]}
        for split in ("dev", "heldout"):
            labels = folder / f"{split}.jsonl"
            if labels.exists():
                report = evaluate_files([str(labels)], str(negotiation), embedder=embedder)
                result[split] = headline(report)
                rules = evaluate_files([str(labels)], str(negotiation), settings=RULES, embedder=embedder)
                result[split]["stance_accuracy_rules"] = rules["stance_accuracy"]
                alone = evaluate_files([str(labels)], str(negotiation), settings=MODEL_ALONE, embedder=embedder)
                result[split]["stance_accuracy_model_alone"] = alone["stance_accuracy"]
                if (folder.name, split) in agreement:  # the ceiling: a second annotator's stance agreement
                    result[split]["stance_human_agreement"] = agreement[(folder.name, split)]
                print(f"{folder.name:22} {split:8} " + " ".join(
                    f"{result[split][h] if result[split][h] is not None else float('nan'):>14.3f}" for h in HEADLINE))
        (folder / "latest.json").write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
        results[folder.name] = result
    stance_results = stance_sentence_results()
    write_readme(results, stance_results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
