"""Agreement between the labels in data/eval and a second annotator's blind stance labels.

Usage: python scripts/agreement.py
The second annotator saw each labelled position's sentence, article, holder and topic (data/eval/agreement/
stance_task.jsonl, ids "<negotiation>/<split>/<line>") but not the first labels, and chose a stance by
data/eval/GUIDELINES.md (stance_second_annotator.jsonl). The agreement is the ceiling a stance classifier can be
expected to reach against these labels.
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

EVAL = Path(__file__).resolve().parent.parent / "data" / "eval"


def first_labels() -> dict[str, str]:
    labels = {}
    for path in sorted(EVAL.glob("*/*.jsonl")):
        if path.parent.name == "agreement":
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                labels[f"{path.parent.name}/{path.stem}/{number}"] = json.loads(line).get("stance")
    return labels


def cohen_kappa(pairs: list[tuple[str, str]]) -> float:
    observed = sum(a == b for a, b in pairs) / len(pairs)
    first, second = Counter(a for a, _ in pairs), Counter(b for _, b in pairs)
    expected = sum(first[c] * second[c] for c in first) / len(pairs) ** 2
    return (observed - expected) / (1 - expected)


def agreement_pairs() -> list[tuple[str, tuple[str, str]]]:
    """(row id, (first label, second annotator's label)) for every position the second annotator labelled."""
    first = first_labels()
    second = [json.loads(line) for line in (EVAL / "agreement" / "stance_second_annotator.jsonl").read_text(
        encoding="utf-8").splitlines() if line.strip()]
    return [(row["id"], (first[row["id"]], row["stance"])) for row in second]


def main() -> int:
    pairs, groups = [], defaultdict(list)
    for row_id, pair in agreement_pairs():
        pairs.append(pair)
        groups[row_id.rsplit("/", 1)[0]].append(pair)
    for name, group in sorted(groups.items()):
        print(f"{name:36} agreement {sum(a == b for a, b in group) / len(group):.3f}  (n={len(group)})")
    print(f"{'all':36} agreement {sum(a == b for a, b in pairs) / len(pairs):.3f}  (n={len(pairs)}), "
          f"Cohen's kappa {cohen_kappa(pairs):.3f}")
    disagreements = Counter((a, b) for a, b in pairs if a != b)
    print("most frequent disagreements (first -> second):",
          ", ".join(f"{a}->{b} {n}" for (a, b), n in disagreements.most_common(6)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
