"""Section 3: BERTopic (fit_transform + topics_over_time, same precomputed embeddings) against our analysis.

BERTopic runs in its own venv (bench/.venv-peer, made by bench/setup_peer.sh from bench/requirements.txt) as a
subprocess; sentences, embeddings and timestamps are handed over as files.
"""
from __future__ import annotations

import json
import subprocess
from pathlib import Path

import numpy as np

from .common import BENCH, Clock, median, run_json_subprocess

VENV_PYTHON = BENCH / ".venv-peer" / "bin" / "python"


def ensure_venv(log) -> str | None:
    """None when the venv is ready, else why it could not be made."""
    if VENV_PYTHON.exists():
        check = subprocess.run([str(VENV_PYTHON), "-c", "import bertopic"], capture_output=True, text=True)
        if check.returncode == 0:
            return None
    log("  creating bench/.venv-peer (BERTopic, one-off, a few minutes)...")
    proc = subprocess.run(["bash", str(BENCH / "setup_peer.sh")], capture_output=True, text=True)
    if proc.returncode != 0:
        return f"setup_peer.sh failed: {proc.stderr.strip()[-1500:]}"
    return None


def our_analysis_s(store_path: str, repeats: int = 3) -> float:
    """Reading the statements and computing the latest-stance matrix and timeline (the Overview/Timeline core)."""
    from positions import analysis
    from positions.store import Store

    store = Store(store_path).init()
    runs = []
    for _ in range(repeats):
        with Clock() as c:
            for name in store.negotiation_names():
                frame = analysis.prepare(store.statements(name, positions_only=True), store.negotiation(name))
                analysis.latest_positions(frame)
                analysis.timeline(frame)
        runs.append(c.wall)
    store.close()
    return median(runs)


def run(data, quick: bool, work: Path, log) -> dict:
    problem = ensure_venv(log)
    if problem:
        return {"status": "not run", "reason": problem}
    folder = work / "peer"
    folder.mkdir(exist_ok=True)
    (folder / "texts.json").write_text(json.dumps(data.texts), encoding="utf-8")
    np.save(folder / "embeddings.npy", data.vectors)
    (folder / "timestamps.json").write_text(json.dumps([str(d) for d in data.dates]))
    peer = run_json_subprocess([str(VENV_PYTHON), str(BENCH / "peer_bertopic.py"), str(folder), "2" if quick else "3"])
    analysis_s = our_analysis_s(data.store_path)
    ours_precomputed = data.pipeline_precomputed_s + analysis_s
    ours_full = data.pipeline_s + analysis_s
    return {
        "status": "ok",
        "sentences": len(data.texts),
        "bertopic": peer,
        "ours_analysis_s": analysis_s,
        "ours_ingest_precomputed_embeddings_s": data.pipeline_precomputed_s,
        "ours_ingest_full_s": data.pipeline_s,
        "ratio_bertopic_to_ours_same_embeddings": peer["total_s"] / ours_precomputed,
        "ratio_bertopic_to_ours_including_encoding": peer["total_s"] / ours_full,
    }
