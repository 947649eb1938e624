"""What the stance model costs at ingest: the sample corpora ingested with stance.method=model and =rules.

Usage: python -m bench.stance_cost [--runs 2]   (prints a table; writes bench/results/stance_cost.json)

Both methods run the same pipeline on the same articles with the same (real) embedder; runs are interleaved and the
median wall time is reported, with the stance model's own time (its classify calls) measured inside the model runs.
"""
from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from .common import BENCH, REPO, Clock, load_average, machine_info, median

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def ingest_once(method: str, embedder, folders: list[Path]) -> dict:
    from positions.config import Settings, load_negotiation, with_overrides
    from positions.pipeline import ingest, load_analyser
    from positions.store import Store

    settings = with_overrides(Settings(), {"stance.method": method})
    with tempfile.TemporaryDirectory() as tmp:
        store = Store(Path(tmp) / "bench.db").init()
        sentences = positions = 0
        classify_seconds = 0.0
        with Clock() as clock:
            for folder in folders:
                analyser = load_analyser(load_negotiation(folder), settings, embedder)
                if analyser.stance_classifier is not None:
                    analyser.stance_classifier = TimedClassifier(analyser.stance_classifier)
                report = ingest([str(folder / "corpus")], store, analyser)
                sentences += report.sentences
                if isinstance(analyser.stance_classifier, TimedClassifier):
                    classify_seconds += analyser.stance_classifier.seconds
                    positions += analyser.stance_classifier.queries
        store.close()
    return {"method": method, "wall_s": clock.wall, "sentences": sentences, "positions_classified": positions,
            "classify_s": classify_seconds}


class TimedClassifier:
    def __init__(self, inner):
        self.inner, self.seconds, self.queries = inner, 0.0, 0

    def classify(self, queries):
        started = time.perf_counter()
        calls = self.inner.classify(queries)
        self.seconds += time.perf_counter() - started
        self.queries += len(queries)
        return calls


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=2)
    args = parser.parse_args()
    from positions.embeddings import make_embedder

    folders = sorted(p.parent for p in (REPO / "data" / "negotiations").glob("*/corpus") if p.is_dir())
    embedder = make_embedder()
    embedder.embed(["warm-up"])
    ingest_once("model", embedder, folders[:1])  # loads the stance model and spaCy once, untimed
    load_before = load_average()
    runs = [ingest_once(method, embedder, folders) for _ in range(args.runs) for method in ("rules", "model")]
    by_method = {m: [r for r in runs if r["method"] == m] for m in ("rules", "model")}
    sentences = runs[0]["sentences"]
    result = {
        "machine": machine_info(), "load_average": [load_before, load_average()], "runs": runs,
        "sentences": sentences,
        "rules_sentences_per_s": sentences / median([r["wall_s"] for r in by_method["rules"]]),
        "model_sentences_per_s": sentences / median([r["wall_s"] for r in by_method["model"]]),
        "positions_classified": by_method["model"][0]["positions_classified"],
        "classify_positions_per_s": median([r["positions_classified"] / r["classify_s"] for r in by_method["model"]]),
    }
    result["model_over_rules_time"] = result["rules_sentences_per_s"] / result["model_sentences_per_s"]
    out = BENCH / "results" / "stance_cost.json"
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    print(f"sample corpora: {sentences} sentences, {result['positions_classified']} positions read by the model")
    print(f"ingest sentences/s, stance rules       {result['rules_sentences_per_s']:.1f}")
    print(f"ingest sentences/s, stance model       {result['model_sentences_per_s']:.1f}")
    print(f"ingest time, model / rules             {result['model_over_rules_time']:.2f}")
    print(f"stance model positions/s (classify)    {result['classify_positions_per_s']:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
