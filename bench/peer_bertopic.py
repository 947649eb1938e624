"""Runs inside bench/.venv-peer: BERTopic fit_transform + topics_over_time on given sentences and embeddings.

    python peer_bertopic.py DIR REPEATS
DIR holds texts.json, embeddings.npy and timestamps.json. Prints one JSON line: seconds per run (the first
run, which also compiles UMAP's numba code, is reported apart as `cold_s`).
"""
import json
import os
import sys
import time

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


def main() -> None:
    import numpy as np
    import pandas as pd
    from bertopic import BERTopic
    import bertopic

    folder, repeats = sys.argv[1], int(sys.argv[2])
    docs = json.load(open(os.path.join(folder, "texts.json"), encoding="utf-8"))
    embeddings = np.load(os.path.join(folder, "embeddings.npy"))
    timestamps = list(pd.to_datetime(json.load(open(os.path.join(folder, "timestamps.json")))))

    def once():
        started = time.perf_counter()
        model = BERTopic(embedding_model=None)
        topics, _ = model.fit_transform(docs, embeddings=embeddings)
        fitted = time.perf_counter()
        over_time = model.topics_over_time(docs, timestamps, nr_bins=20)
        done = time.perf_counter()
        return done - started, fitted - started, done - fitted, len(set(topics)), len(over_time)

    cold = once()
    runs = [once() for _ in range(repeats)]
    runs.sort(key=lambda r: r[0])
    mid = runs[len(runs) // 2]
    print(json.dumps({
        "bertopic": bertopic.__version__, "pandas": pd.__version__, "docs": len(docs),
        "cold_s": cold[0], "total_s": mid[0], "fit_transform_s": mid[1], "topics_over_time_s": mid[2],
        "runs_s": [r[0] for r in runs], "topics": mid[3], "topics_over_time_rows": mid[4],
    }))


if __name__ == "__main__":
    main()
