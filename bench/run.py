"""The positions benchmark: `python bench/run.py [--quick]`.

Prints a table and writes bench/results/latest.json (with the machine it ran on). Every figure is a median over
repeated runs; every comparison is a ratio measured in this run on the same data. Sections:
  1 ingest vs pure encoder, re-ingest   2 encoder GFLOP/s vs fp32 matmul   3 BERTopic peer
  4 search latency/recall at 10k-1M     5 Overview/Timeline aggregations   6 memory (dashboard data, ingest)
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from bench import dashboard_bench, ingest_bench, peer, search_bench, synthetic  # noqa: E402
from bench.common import BENCH, REPO, load_average, machine_info, python, run_json_subprocess  # noqa: E402

SECTIONS = ("ingest", "peer", "search", "dashboard", "memory")


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes: a smoke run of a few minutes")
    parser.add_argument("--only", default=",".join(SECTIONS), help=f"comma-separated subset of {','.join(SECTIONS)}")
    parser.add_argument("--out", default=str(BENCH / "results" / "latest.json"))
    parser.add_argument("--keep", action="store_true", help="keep the temporary work folder (corpus, stores)")
    parser.add_argument("--combine", metavar="A.json,B.json",
                        help="run nothing: merge the sections of results files of partial runs (--only) into --out "
                             "and print the table")
    args = parser.parse_args(argv)
    if args.combine:
        return combine(args.combine.split(","), Path(args.out))
    only = set(args.only.split(","))
    unknown = only - set(SECTIONS)
    if unknown:
        parser.error(f"unknown section(s) {', '.join(sorted(unknown))}; sections: {', '.join(SECTIONS)}")

    started = time.perf_counter()
    work = ingest_bench.tempdir()
    results: dict = {"mode": "quick" if args.quick else "full", "machine": machine_info(), "started": time.ctime()}
    log(f"positions benchmark ({results['mode']}), work folder {work}")
    try:
        data = None
        if "ingest" in only or "peer" in only:
            log("[1-2] ingest vs encoder, re-ingest, encoder GFLOP/s")
            results["ingest"], data = ingest_bench.run(args.quick, work, log)
        if "peer" in only:
            log("[3] BERTopic peer")
            results["peer"] = peer.run(data, args.quick, work, log)

        search_sizes = [10_000, 100_000] if args.quick else [10_000, 100_000, 1_000_000]
        store_sizes = [100_000] if args.quick else [100_000, 1_000_000]
        stores: dict[int, tuple[str, str]] = {}
        vectors = None
        if only & {"search", "dashboard", "memory"}:
            log(f"[data] {max(search_sizes):,} clustered synthetic vectors and stores of {store_sizes}")
            clock = time.perf_counter()
            vectors = synthetic.clustered_vectors(max(search_sizes))
            log(f"  vectors: {time.perf_counter() - clock:.0f} s")
            for n in store_sizes:
                clock = time.perf_counter()
                path = work / f"synthetic-{n}.db"
                info = synthetic.write_store(path, vectors[:n], f"synthetic-{n}")
                stores[n] = (str(path), info["negotiation"])
                log(f"  store of {n:,} statements: {info['bytes'] / 2**20:.0f} MiB in {time.perf_counter() - clock:.0f} s")
        if "search" in only:
            log("[4] search")
            results["search"] = search_bench.run(
                vectors, search_sizes, work, log,
                index_path_for=lambda n: Path(stores[n][0] + ".usearch") if n in stores else work / f"index-{n}.usearch")
        if "dashboard" in only:
            log("[5] dashboard aggregations")
            results["dashboard"] = dashboard_bench.run(stores, repeats=5, log=log)
        if "memory" in only:
            log("[6] memory")
            results["memory"] = memory(stores, data, work)
    finally:
        results["load_average_at_end"] = load_average()
        results["duration_s"] = time.perf_counter() - started
        out = Path(args.out)
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(json.dumps(results, indent=2, default=str) + "\n", encoding="utf-8")
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(table(results))
    log(f"wrote {out} in {results['duration_s'] / 60:.1f} min")
    return 0


def combine(files: list[str], out: Path) -> int:
    """One results file from runs of different sections (each keeps its own machine facts and load averages)."""
    parts = [json.loads(Path(f).read_text(encoding="utf-8")) for f in files]
    merged = {"mode": parts[0]["mode"], "machine": parts[0]["machine"], "started": parts[0]["started"],
              "combined_from": {}}
    for f, part in zip(files, parts):
        sections = [k for k in SECTIONS if k in part]
        merged["combined_from"][Path(f).name] = {
            "sections": sections, "started": part.get("started"), "duration_s": part.get("duration_s"),
            "load_average_at_start": part["machine"].get("load_average_at_start"),
            "load_average_at_end": part.get("load_average_at_end")}
        merged.update({k: part[k] for k in sections})
    merged["load_average_at_end"] = parts[-1].get("load_average_at_end")
    merged["duration_s"] = max(p.get("duration_s", 0) for p in parts)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(merged, indent=2, default=str) + "\n", encoding="utf-8")
    print(table(merged))
    return 0


def memory(stores: dict, data, work: Path) -> dict:
    out = {}
    largest = max(stores)
    path, name = stores[largest]
    dash = run_json_subprocess([python(), "-m", "bench.dashboard_memory", path, name])
    out["dashboard"] = {"statements": largest, **dash}
    log(f"  dashboard data at {largest:,}: peak RSS {dash['peak_rss_mb']:.0f} MiB "
        f"(frame {dash['frame_rss_mb']:.0f}, index {dash['index_rss_mb']:.0f})")
    if data is None or not data.corpus:  # run without the ingest section: a corpus of its own for the CLI ingest
        from bench.corpus import generate

        corpora = generate(work / "memory-corpus", 1200)
    else:
        corpora = data.corpus
    if corpora:
        negotiation, corpus = next(iter(corpora.items()))
        ingest = run_json_subprocess([python(), "-m", "bench.ingest_memory", path, negotiation, str(corpus)])
        out["ingest"] = {"store_statements": largest, "corpus": str(Path(negotiation).name), **ingest}
        log(f"  CLI ingest into the {largest:,}-statement store: peak RSS {ingest['peak_rss_mb']:.0f} MiB, "
            f"{ingest['wall_s']:.1f} s (cold: includes loading the models)")
    return out


def table(r: dict) -> str:
    rows: list[tuple[str, str, str, str]] = []

    def add(name, value, target="", met=None):
        rows.append((name, value, target, "" if met is None else ("met" if met else "BELOW")))

    m = r["machine"]
    if "ingest" in r:
        i = r["ingest"]
        add(f"ingest: pipeline sentences/s ({i['sentences']:,} sentences)", f"{i['pipeline_sentences_per_s']:.1f}")
        add("ingest: pure encoder sentences/s", f"{i['encoder_sentences_per_s']:.1f}")
        add("ingest: pipeline / encoder (median of paired runs)", f"{i['ratio_pipeline_to_encoder']:.2f}", ">= 0.8",
            i["ratio_pipeline_to_encoder"] >= 0.8)
        add("ingest: the pipeline's own embedder sentences/s", f"{i['our_embedder_sentences_per_s']:.1f}")
        add("ingest: pipeline / its own embedder", f"{i['ratio_pipeline_to_our_embedder']:.2f}")
        add("ingest: encoder / pipeline CPU seconds", f"{i['ratio_cpu_encoder_to_pipeline']:.2f}")
        add("re-ingest unchanged corpus: speed-up", f"{i['reingest_speedup']:.0f}x", ">= 50x", i["reingest_speedup"] >= 50)
        e = i["encoder"]
        add("encoder GFLOP/s (real tokens x 21 MFLOP)", f"{e['encoder_gflops']:.1f}")
        add("fp32 matmul GFLOP/s (torch 2048^2)", f"{e['matmul_gflops']['torch_fp32']:.1f}")
        add("encoder / matmul", f"{e['ratio_encoder_to_matmul']:.2f}")
    if "peer" in r:
        p = r["peer"]
        if p.get("status") == "ok":
            add("BERTopic fit+topics_over_time s", f"{p['bertopic']['total_s']:.2f}")
            add("ours (ingest with same embeddings + analysis) s",
                f"{p['ours_ingest_precomputed_embeddings_s'] + p['ours_analysis_s']:.2f}")
            add("BERTopic / ours, same embeddings", f"{p['ratio_bertopic_to_ours_same_embeddings']:.2f}")
            add("BERTopic / our Overview+Timeline analysis alone", f"{p['bertopic']['total_s'] / p['ours_analysis_s']:.1f}")
            add("BERTopic / ours incl. our encoding", f"{p['ratio_bertopic_to_ours_including_encoding']:.2f}")
        else:
            add("BERTopic peer", f"not run: {p.get('reason', '')[:60]}")
    if "search" in r:
        for n, s in r["search"]["sizes"].items():
            big = int(n) >= 1_000_000
            add(f"search {int(n):,}: p50 / p99 ms ({s['mode']})", f"{s['p50_ms']:.2f} / {s['p99_ms']:.2f}",
                "<= 20 / 50" if big else "", (s["p50_ms"] <= 20 and s["p99_ms"] <= 50) if big else None)
            add(f"search {int(n):,}: recall@10", f"{s['recall_at_10']:.3f}", ">= 0.95" if big else "",
                s["recall_at_10"] >= 0.95 if big else None)
            f = s["filtered"]["100%"]
            add(f"search {int(n):,}: restricted to the frame, p50 / p99 ms", f"{f['p50_ms']:.2f} / {f['p99_ms']:.2f}")
            if s["mode"] == "ann":
                add(f"search {int(n):,}: index build s / memory MiB",
                    f"{s['build_s']:.0f} / {s['memory'].get('ann_mb', 0) + s['memory']['vectors_mb']:.0f}")
    if "dashboard" in r:
        for n, d in r["dashboard"].items():
            big = int(n) >= 1_000_000
            add(f"Overview aggregations {int(n):,} ms", f"{d['overview_ms']:.0f}", "<= 300" if big else "",
                d["overview_ms"] <= 300 if big else None)
            add(f"Timeline aggregations {int(n):,} ms", f"{d['timeline_ms']:.0f}", "<= 300" if big else "",
                d["timeline_ms"] <= 300 if big else None)
    if "memory" in r:
        d = r["memory"]["dashboard"]
        big = d["statements"] >= 1_000_000
        add(f"dashboard data RSS at {d['statements']:,} MiB (peak)", f"{d['peak_rss_mb']:.0f}",
            "<= 2048" if big else "", d["peak_rss_mb"] <= 2048 if big else None)
        if "ingest" in r["memory"]:
            add("CLI ingest peak RSS MiB", f"{r['memory']['ingest']['peak_rss_mb']:.0f}")
    width = [max(len(row[c]) for row in rows + [("figure", "value", "target", "")]) for c in range(4)]
    lines = [f"machine: {m['cpu_model']}, {m['cores']} cores, {m['ram_gib']} GiB; torch {m.get('torch')}, "
             f"load average {m['load_average_at_start']} -> {r.get('load_average_at_end')}",
             "  ".join(h.ljust(w) for h, w in zip(("figure", "value", "target", ""), width))]
    lines += ["  ".join(c.ljust(w) for c, w in zip(row, width)) for row in rows]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
