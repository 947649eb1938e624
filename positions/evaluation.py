"""`positions eval`: run the pipeline on labelled articles and measure each field against the labels."""
from __future__ import annotations

import json
import re
import tempfile
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

import pandas as pd

from .analysis import stance_sure
from .config import Settings, StanceSettings, load_negotiation
from .errors import ConfigError, InputError
from .models import STANCES

FIELDS = ("holder", "topic", "stance")
# What an analyst should be able to trust, on held-out sentences (issue targets; see the README's Evaluation).
QUALITY_TARGETS = {"holder_accuracy": 0.90, "stance_accuracy": 0.80, "topic_macro_f1": 0.85, "numbers_recall": 0.95,
                   "date_accuracy": 0.90, "no_position_accuracy": 0.90}


def load_labels(paths: Sequence[str | Path]) -> list[dict]:
    labels = []
    for path in paths:
        path = Path(path)
        if not path.exists():
            raise InputError(f"{path}: labels file does not exist")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:line {number}: invalid JSON ({exc.msg})") from exc
            missing = {"file", "sentence"} - set(row)
            if missing:
                raise InputError(f"{path}:line {number}: missing {', '.join(sorted(missing))}")
            row["_labels_file"] = str(path)
            labels.append(row)
    return labels


def _norm(text: str) -> str:
    text = text.replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')
    return " ".join(text.split()).strip()


def _unit_key(unit: str) -> str:
    unit = (unit or "").lower().strip()
    return re.sub(r"(ies|es|s)$", "", unit) if len(unit) > 3 else unit


def _number_keys(numbers) -> Counter:
    return Counter((round(float(n["value"]), 3), _unit_key(n.get("unit", ""))) for n in numbers or [])


def run_pipeline(labels: list[dict], negotiation_dir: str | Path, articles_dir: str | Path | None,
                 settings: Settings | None = None, embedder=None) -> pd.DataFrame:
    """Ingest the labelled articles into a temporary store and return its statement rows."""
    from .pipeline import ingest, load_analyser
    from .store import Store

    negotiation = load_negotiation(negotiation_dir)
    base = Path(articles_dir) if articles_dir else Path(labels[0]["_labels_file"]).parent / "articles"
    files = sorted({row["file"] for row in labels})
    missing = [f for f in files if not (base / f).exists()]
    if missing:
        raise ConfigError(f"{base}: labelled article(s) not found: {', '.join(missing[:5])}")
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "eval.db").init()
        analyser = load_analyser(negotiation, settings, embedder)
        report = ingest([str(base / f) for f in files], store, analyser)
        if report.failed:
            raise InputError("; ".join(f"{label}: {reason}" for label, reason in report.failed))
        frame = store.statements(negotiation=negotiation.name)
        store.close()
    frame["file"] = frame["doc_origin"].map(lambda origin: Path(origin).name if origin else None)
    return frame


def _match_sentence(sentence: str, candidates: pd.DataFrame) -> pd.DataFrame:
    """Predicted rows of the sentence that best matches a labelled one (exact, else largest overlap)."""
    target = _norm(sentence)
    exact = candidates[candidates["_norm"] == target]
    if len(exact):
        return exact
    contains = candidates[candidates["_norm"].map(lambda s: target in s or (len(s) > 20 and s in target))]
    if len(contains):
        best = contains["_norm"].map(lambda s: -abs(len(s) - len(target))).idxmax()
        return contains[contains["sentence_id"] == contains.loc[best, "sentence_id"]]
    return candidates.iloc[0:0]


def score(labels: list[dict], predicted: pd.DataFrame, sure_probability: float | None = None) -> dict:
    """All figures from labels and predicted statement rows (pure: tested without the pipeline).

    `sure_probability` (default: the stance.sure_probability setting): stance accuracy is also given on the
    positions whose row the dashboard shows as sure (analysis.stance_sure), with the share of positions they cover."""
    predicted = predicted.copy()
    if sure_probability is None:
        sure_probability = StanceSettings().sure_probability
    predicted["_sure"] = stance_sure(predicted, sure_probability)
    predicted["_norm"] = predicted["sentence"].map(_norm)
    by_file = {name: group for name, group in predicted.groupby("file")}
    gold_by_sentence: dict[tuple[str, str], list[dict]] = defaultdict(list)
    for row in labels:
        gold_by_sentence[(row["file"], row["sentence"])].append(row)

    holder_hits = holder_total = stance_hits = stance_total = date_hits = date_total = 0
    found_hits = found_total = 0  # stance where the position itself was found (same holder and topic)
    sure_hits = sure_total = unsure_hits = 0  # stance on positions whose row is shown as sure
    none_hits = none_total = detect_tp = detect_fp = detect_fn = 0
    num_tp = num_fp = num_fn = 0
    topic_counts: dict[str, Counter] = defaultdict(Counter)
    confusion: dict[str, Counter] = defaultdict(Counter)
    misses, unmatched = [], []

    for (file, sentence), gold_rows in gold_by_sentence.items():
        rows = _match_sentence(sentence, by_file.get(file, predicted.iloc[0:0]))
        if rows.empty:
            unmatched.append({"file": file, "sentence": sentence})
            continue
        positions = rows[rows["party"].notna() & rows["topic"].notna()]
        gold_positions = [g for g in gold_rows if g.get("holder") and g.get("topic")]
        pred_party = positions["party"].iloc[0] if len(positions) else None
        problems = []

        # position or not
        if not gold_positions:
            none_total += 1
            none_hits += int(positions.empty)
            detect_fp += int(not positions.empty)
            if not positions.empty:
                problems.append(f"no position expected, got {pred_party}/{positions['topic'].iloc[0]}")
        else:
            detect_tp += int(not positions.empty)
            detect_fn += int(positions.empty)

        # holder
        gold_holders = {g["holder"] for g in gold_positions}
        if gold_holders:
            holder_total += 1
            if pred_party in gold_holders:
                holder_hits += 1
            else:
                problems.append(f"holder {sorted(gold_holders)} != {pred_party}")

        # topics (sets per sentence)
        gold_topics = {g["topic"] for g in gold_positions}
        pred_topics = set(positions["topic"])
        for topic in gold_topics | pred_topics:
            if topic in gold_topics and topic in pred_topics:
                topic_counts[topic]["tp"] += 1
            elif topic in pred_topics:
                topic_counts[topic]["fp"] += 1
            else:
                topic_counts[topic]["fn"] += 1
        if gold_topics and gold_topics != pred_topics:
            problems.append(f"topics {sorted(gold_topics)} != {sorted(pred_topics)}")

        # stance, per labelled topic
        for gold in gold_positions:
            if not gold.get("stance"):
                continue
            same_topic = positions[positions["topic"] == gold["topic"]]
            same_position = same_topic[same_topic["party"] == gold["holder"]]
            # a sentence labelled with two holders is scored against each one's own row where there is one
            pick = same_position if len(same_position) else same_topic if len(same_topic) else positions
            pred_stance = pick["stance"].iloc[0] if len(pick) else None
            stance_total += 1
            stance_hits += int(pred_stance == gold["stance"])
            if len(pick) and pick["_sure"].iloc[0]:
                sure_total += 1
                sure_hits += int(pred_stance == gold["stance"])
            else:
                unsure_hits += int(pred_stance == gold["stance"])
            if len(same_position):
                found_total += 1
                found_hits += int(pred_stance == gold["stance"])
            confusion[gold["stance"]][pred_stance or "none"] += 1
            if pred_stance != gold["stance"]:  # a wrong stance shown as sure misleads most: said so
                problems.append(f"stance {gold['stance']} != {pred_stance}"
                                + (" (shown as sure)" if len(pick) and pick["_sure"].iloc[0] else ""))

        # numbers (sentence level)
        gold_numbers = _number_keys(gold_rows[0].get("numbers"))
        pred_numbers = Counter()  # a sentence's numbers are split over its topic rows: their union
        for numbers in rows["numbers"]:
            pred_numbers |= _number_keys(numbers)
        num_tp += sum((gold_numbers & pred_numbers).values())
        num_fp += sum((pred_numbers - gold_numbers).values())
        num_fn += sum((gold_numbers - pred_numbers).values())
        if gold_numbers != pred_numbers:
            problems.append(f"numbers {sorted(gold_numbers.elements())} != {sorted(pred_numbers.elements())}")

        # date
        if gold_rows[0].get("date"):
            date_total += 1
            pred_date = rows["date"].iloc[0]
            if pred_date == gold_rows[0]["date"]:
                date_hits += 1
            else:
                problems.append(f"date {gold_rows[0]['date']} != {pred_date}")

        if problems:
            weight = sum(3 if p.startswith(("holder", "no position")) else 2 if p.startswith("stance") else 1
                         for p in problems)
            misses.append({"file": file, "sentence": sentence, "problems": problems, "weight": weight,
                           "note": gold_rows[0].get("note", "")})

    per_topic = {}
    for topic, c in sorted(topic_counts.items()):
        precision = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else 0.0
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_topic[topic] = {"precision": round(precision, 3), "recall": round(recall, 3), "f1": round(f1, 3),
                            "support": c["tp"] + c["fn"]}
    tp = sum(c["tp"] for c in topic_counts.values())
    fp = sum(c["fp"] for c in topic_counts.values())
    fn = sum(c["fn"] for c in topic_counts.values())
    ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    return {
        "sentences": len(gold_by_sentence),
        "labels": len(labels),
        "unmatched": len(unmatched),
        "holder_accuracy": ratio(holder_hits, holder_total),
        "holder_support": holder_total,
        "stance_accuracy": ratio(stance_hits, stance_total),
        "stance_support": stance_total,
        "stance_accuracy_found": ratio(found_hits, found_total),
        "stance_found_support": found_total,
        "stance_sure": {"sure_probability": sure_probability, "accuracy": ratio(sure_hits, sure_total),
                        "support": sure_total, "coverage": ratio(sure_total, stance_total),
                        "unsure_accuracy": ratio(unsure_hits, stance_total - sure_total)},
        "stance_confusion": {g: dict(sorted(p.items())) for g, p in sorted(confusion.items())},
        "topic": {
            "macro_f1": ratio(sum(t["f1"] for t in per_topic.values()), len(per_topic)),
            "micro_precision": ratio(tp, tp + fp), "micro_recall": ratio(tp, tp + fn),
            "per_topic": per_topic,
        },
        "numbers": {"precision": ratio(num_tp, num_tp + num_fp), "recall": ratio(num_tp, num_tp + num_fn),
                    "gold": num_tp + num_fn},
        "date_accuracy": ratio(date_hits, date_total),
        "no_position_accuracy": ratio(none_hits, none_total),
        "no_position_support": none_total,
        "position_detection": {"precision": ratio(detect_tp, detect_tp + detect_fp),
                               "recall": ratio(detect_tp, detect_tp + detect_fn)},
        "misses": sorted(misses, key=lambda m: -m["weight"]),
        "unmatched_sentences": unmatched[:20],
    }


def evaluate_files(label_paths: Sequence[str], negotiation_dir: str, articles_dir: str | None = None,
                   settings: Settings | None = None, embedder=None) -> dict:
    labels = load_labels(label_paths)
    if not labels:
        raise InputError(f"no labels in {', '.join(map(str, label_paths))}")
    bad = {row.get("stance") for row in labels} - set(STANCES) - {None}
    if bad:
        raise InputError(f"unknown stance(s) {', '.join(sorted(map(str, bad)))}; valid: {', '.join(STANCES)}")
    settings = settings or Settings()
    report = score(labels, run_pipeline(labels, negotiation_dir, articles_dir, settings, embedder),
                   settings.stance.sure_probability)
    report["labels_files"] = [str(p) for p in label_paths]
    report["negotiation"] = Path(negotiation_dir).name
    return report


def confusion_lines(confusion: dict[str, dict[str, int]]) -> list[str]:
    """The stance confusion matrix as text lines, gold -> predicted counts."""
    return ["  stance confusion (gold -> predicted):"] + [
        f"    {gold:8} " + ", ".join(f"{p}: {n}" for p, n in predicted.items()) for gold, predicted in confusion.items()]


def format_report(report: dict, worst: int = 15) -> str:
    pct = lambda v: "  n/a" if v is None else f"{v:5.3f}"  # noqa: E731
    sure = report["stance_sure"]
    lines = [
        f"{report.get('negotiation', '')}: {report['sentences']} labelled sentences ({report['labels']} labels), "
        f"{report['unmatched']} not found in the output",
        f"  holder accuracy      {pct(report['holder_accuracy'])}   (n={report['holder_support']})",
        f"  stance accuracy      {pct(report['stance_accuracy'])}   (n={report['stance_support']}; "
        f"{pct(report['stance_accuracy_found'])} on the {report['stance_found_support']} positions found with the "
        f"right holder and topic)",
        f"  stance where sure    {pct(sure['accuracy'])}   (on {pct(sure['coverage'])} of the positions: "
        f"rows read at least {sure['sure_probability']:g} sure; {pct(sure['unsure_accuracy'])} on the rest)",
        f"  topic macro-F1       {pct(report['topic']['macro_f1'])}   micro P {pct(report['topic']['micro_precision'])}"
        f"  R {pct(report['topic']['micro_recall'])}",
        f"  numbers precision    {pct(report['numbers']['precision'])}   recall {pct(report['numbers']['recall'])}"
        f"   (n={report['numbers']['gold']})",
        f"  date accuracy        {pct(report['date_accuracy'])}",
        f"  no-position accuracy {pct(report['no_position_accuracy'])}   (n={report['no_position_support']})",
        "  per topic:",
    ]
    for topic, t in report["topic"]["per_topic"].items():
        lines.append(f"    {topic:22} P {pct(t['precision'])}  R {pct(t['recall'])}  F1 {pct(t['f1'])}  n={t['support']}")
    lines += confusion_lines(report["stance_confusion"])
    if worst and report["misses"]:
        lines.append(f"  worst misses ({min(worst, len(report['misses']))} of {len(report['misses'])}):")
        for miss in report["misses"][:worst]:
            lines.append(f"    - {miss['file']}: {miss['sentence'][:140]}")
            lines.append(f"      {'; '.join(miss['problems'])}" + (f"  [{miss['note']}]" if miss["note"] else ""))
    return "\n".join(lines)
