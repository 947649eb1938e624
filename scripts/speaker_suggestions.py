"""How much `positions speakers` gives back when a config lacks the people who speak.

Usage: python scripts/speaker_suggestions.py NAME[,NAME...] [--min N]   (about a minute per negotiation)

For each labelled development negotiation (data/eval/NAME/dev.jsonl): a copy of its config without the aliases that
spaCy's entity recogniser calls a person; the evaluation with the full config, with the stripped one, and with the
stripped one plus every suggestion of `positions speakers` accepted unchecked (aliases added to the suggested party).
"""
from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

import yaml

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from positions.config import Settings, load_negotiation  # noqa: E402
from positions.embeddings import make_embedder  # noqa: E402
from positions.evaluation import load_labels, run_pipeline, score  # noqa: E402
from positions.pipeline import load_spacy  # noqa: E402
from positions.speakers import speakers_in_rows  # noqa: E402


def is_person(alias: str, ner) -> bool:
    doc = ner(f"Yesterday {alias} said it.")
    return alias.split()[0] in ("Mr.", "Ms.", "Mrs.", "Dr.") or any(
        entity.label_ == "PERSON" and alias.split()[-1] in entity.text for entity in doc.ents)


def write_config(source: Path, target: Path, aliases_of: dict[str, list[str]]) -> Path:
    target.mkdir(parents=True, exist_ok=True)
    for name in ("topics.yaml", "events.yaml"):
        if (source / name).is_file():
            (target / name).write_text((source / name).read_text(encoding="utf-8"), encoding="utf-8")
    parties = yaml.safe_load((source / "parties.yaml").read_text(encoding="utf-8"))
    for party in parties["parties"]:
        party["aliases"] = aliases_of[party["id"]]
    (target / "parties.yaml").write_text(yaml.safe_dump(parties, sort_keys=False, allow_unicode=True),
                                         encoding="utf-8")
    return target


def line(name: str, config: str, report: dict) -> str:
    return (f"{name:26} {config:28} holder {report['holder_accuracy']:.3f}  stance {report['stance_accuracy']:.3f}  "
            f"topic {report['topic']['macro_f1']:.3f}  no-position {report['no_position_accuracy']:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("names", help="negotiations, comma-separated (data/eval/NAME/dev.jsonl)")
    parser.add_argument("--min", type=int, default=2, dest="min_statements")
    args = parser.parse_args()
    embedder, ner, settings = make_embedder(), load_spacy(Settings().pipeline.spacy_model, entities=True), Settings()
    with tempfile.TemporaryDirectory() as scratch:
        for name in args.names.split(","):
            source = REPO / "data" / "negotiations" / name
            labels = load_labels([str(REPO / "data" / "eval" / name / "dev.jsonl")])
            full = load_negotiation(source)
            stripped = write_config(source, Path(scratch) / "stripped" / name, {
                party.id: [a for a in party.aliases if not is_person(a, ner)] for party in full.parties})
            frame = run_pipeline(labels, stripped, None, settings, embedder)
            kept = load_negotiation(stripped).parties
            suggestions = speakers_in_rows(frame, kept, ner, args.min_statements)
            accepted = {party.id: list(party.aliases) + [a for s in suggestions if s.party == party.id
                                                         for a in s.aliases] for party in kept}
            suggested = write_config(source, Path(scratch) / "suggested" / name, accepted)
            added = sum(len(a) for a in accepted.values()) - sum(len(p.aliases) for p in kept)
            print(line(name, "full config", score(labels, run_pipeline(labels, source, None, settings, embedder))))
            print(line(name, "without people", score(labels, frame)))
            print(line(name, f"+ {added} suggested aliases", score(
                labels, run_pipeline(labels, suggested, None, settings, embedder))), flush=True)


if __name__ == "__main__":
    main()
