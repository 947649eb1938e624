"""`positions eval-stance`: stance (the model or the rules) measured on single labelled sentences of many negotiations.

A row (JSON Lines, e.g. data/stance_sentences/*.jsonl) names its holder by aliases rather than by a config:
{"sentence": ..., "holder": "Iran", "holder_aliases": ["Iran", "Zarif"], "holder_role": "principal",
 "other_parties": [["United States", "Kerry"]], "stance": "reject", "negotiation": ..., "topic": ...}
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path
from typing import Sequence

from .config import Party, StanceSettings
from .errors import InputError
from .evaluation import confusion_lines
from .holders import AliasIndex, find_holder, mention_tokens
from .models import STANCES
from .parse_text import text_for_parser
from .stance import StanceReading, classify_stance, settles_stance, stance_for_role
from .stance_model import StanceClassifier, stance_row_query, voted_call

REQUIRED = ("sentence", "holder_aliases", "holder_role", "stance")
ROLES = ("principal", "mediator", "third_party")
_HOLDER = "holder"


def load_stance_rows(paths: Sequence[str | Path]) -> list[dict]:
    """Rows of every .jsonl file given (folders are searched), checked field by field."""
    files = sorted(f for p in map(Path, paths) for f in ([p] if p.is_file() else p.glob("*.jsonl")))
    if not files:
        raise InputError(f"no .jsonl files in {', '.join(map(str, paths))}")
    rows = []
    for path in files:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{path}:line {number}"
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{where}: invalid JSON ({exc.msg})") from exc
            missing = [k for k in REQUIRED if not row.get(k)]
            if missing:
                raise InputError(f"{where}: missing {', '.join(missing)}")
            if row["stance"] not in STANCES:
                raise InputError(f"{where}: stance {row['stance']!r}; valid: {', '.join(STANCES)}")
            if row["holder_role"] not in ROLES:
                raise InputError(f"{where}: holder_role {row['holder_role']!r}; valid: {', '.join(ROLES)}")
            rows.append(row)
    return rows


def rule_stance(nlp, row: dict) -> tuple[str, StanceReading, bool]:
    """(stance after the role mapping, the reading, whether the holder finder picked the row's holder), read
    as the pipeline reads it; when the finder picks no one or another party, the sentence's root anchors it."""
    parties = [Party(_HOLDER, row.get("holder") or row["holder_aliases"][0], tuple(row["holder_aliases"]),
                     row["holder_role"])]
    parties += [Party(f"other{i}", names[0], tuple(names)) for i, names in enumerate(row.get("other_parties") or [])
                if names]
    aliases = AliasIndex(parties)
    text = row["sentence"]
    mentions = aliases.find(text)
    headline = not text.rstrip().endswith((".", "?", "!", '"', "”", "'", "’"))
    doc = nlp(text_for_parser(text, headline, [(m.start, m.end) for m in mentions]))
    finding = find_holder(doc, mentions, aliases, None)
    found = bool(finding.holder and finding.holder.party == _HOLDER)
    anchor = finding.anchor if found else None
    if anchor is None:
        anchor = next((t.i for t in doc if t.dep_ == "ROOT"), None)
    tokens = mention_tokens(doc, mentions)
    others = frozenset(i for i, p in tokens.items() if p != _HOLDER)
    own = frozenset(i for i, p in tokens.items() if p == _HOLDER)
    reading = classify_stance(doc, anchor, others, own)
    return stance_for_role(reading, row["holder_role"]), reading, found


def score_stance(rows: Sequence[dict], nlp, classifier: StanceClassifier | None = None,
                 rules_weight: float = StanceSettings.rules_weight,
                 sure_probability: float = StanceSettings.sure_probability) -> dict:
    """Accuracy overall and per negotiation, the confusion matrix (gold -> predicted) and the misses.

    With a classifier (the stance model) it decides the stance as the pipeline does, with the rules' reading as a
    vote of `rules_weight`; the rules, read in the same pass, still give the holder found, the cue and their own
    accuracy (stance_accuracy_rules), and the model without their vote its own (stance_accuracy_model_alone). It also
    gives the accuracy where the reading is sure, as the pipeline rates it (at least `sure_probability`, or settled by
    the rules), and the share of sentences that is."""
    hits, per_negotiation, confusion, misses = 0, defaultdict(Counter), defaultdict(Counter), []
    holder_found = rule_hits = model_alone_hits = sure_hits = sure_total = 0
    calls = classifier.classify([stance_row_query(row) for row in rows]) if classifier is not None else None
    for number, row in enumerate(rows):
        predicted, reading, found = rule_stance(nlp, row)
        rule_hits += predicted == row["stance"]
        sure = False
        if calls is not None:
            model_alone_hits += calls[number].stance == row["stance"]
            if rules_weight <= 0 or not settles_stance(reading):
                voted = voted_call(calls[number], predicted, rules_weight)
                predicted, sure = voted.stance, voted.probability >= sure_probability
            else:
                sure = True  # the rules settle it, as in the pipeline
        right = predicted == row["stance"]
        hits += right
        sure_total += sure
        sure_hits += sure and right
        holder_found += found
        group = per_negotiation[row.get("negotiation") or "-"]
        group["right"] += right
        group["total"] += 1
        confusion[row["stance"]][predicted] += 1
        if not right:
            misses.append({"sentence": row["sentence"], "holder": row.get("holder"), "gold": row["stance"],
                           "predicted": predicted, "cue": reading.cue, "kind": reading.kind})
    ratio = lambda a, b: round(a / b, 3) if b else None  # noqa: E731
    return {
        "sentences": len(rows),
        "method": "rules" if classifier is None else "model",
        "stance_accuracy": ratio(hits, len(rows)),
        "stance_accuracy_rules": ratio(rule_hits, len(rows)),
        "stance_accuracy_model_alone": ratio(model_alone_hits, len(rows)) if calls is not None else None,
        "stance_accuracy_sure": ratio(sure_hits, sure_total),
        "stance_sure_coverage": ratio(sure_total, len(rows)) if calls is not None else None,
        "holder_found": ratio(holder_found, len(rows)),
        "per_negotiation": {name: ratio(c["right"], c["total"]) for name, c in sorted(per_negotiation.items())},
        "stance_confusion": {g: dict(sorted(p.items())) for g, p in sorted(confusion.items())},
        "misses": misses,
    }


def format_stance_report(report: dict, worst: int = 15) -> str:
    lines = [f"{report['sentences']} sentences: stance accuracy {report['stance_accuracy']:.3f} by the "
             f"{report.get('method', 'rules')} "
             + (f"(the model alone: {report['stance_accuracy_model_alone']:.3f}, the rules alone: "
                f"{report['stance_accuracy_rules']:.3f}) " if report.get("method") == "model" else "")
             + f"(holder found by the holder finder in {report['holder_found']:.3f})"]
    if report.get("stance_accuracy_sure") is not None:
        lines.append(f"  where sure: {report['stance_accuracy_sure']:.3f} on {report['stance_sure_coverage']:.3f} of "
                     "the sentences")
    lines.append("  per negotiation:")
    lines += [f"    {name:32} {value:.3f}" for name, value in report["per_negotiation"].items()]
    lines += confusion_lines(report["stance_confusion"])
    if worst and report["misses"]:
        lines.append(f"  misses ({min(worst, len(report['misses']))} of {len(report['misses'])}):")
        for miss in report["misses"][:worst]:
            lines.append(f"    - {miss['sentence'][:140]}")
            lines.append(f"      {miss['gold']} != {miss['predicted']} (rules' cue {miss['cue']!r}, {miss['kind']})")
    return "\n".join(lines)
