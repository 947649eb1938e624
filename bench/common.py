"""Small helpers shared by the benchmark sections: timing, medians, machine facts, subprocess memory."""
from __future__ import annotations

import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent


def median(values) -> float:
    values = [v for v in values if v is not None]
    return float(statistics.median(values)) if values else float("nan")


def percentile(values, q: float) -> float:
    import numpy as np

    return float(np.percentile(np.asarray(values, dtype=float), q))


class Clock:
    """Wall and process CPU time of a block: `with Clock() as c: ...; c.wall, c.cpu`."""

    def __enter__(self):
        self._wall, self._cpu = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc):
        self.wall = time.perf_counter() - self._wall
        self.cpu = time.process_time() - self._cpu


def load_average() -> list[float]:
    try:
        return [float(x) for x in Path("/proc/loadavg").read_text().split()[:3]]
    except OSError:
        return []


def peak_rss_mb() -> float:
    """Peak resident set size of this process so far, in MiB: VmHWM, the high-water mark of this program's own
    memory. (getrusage's ru_maxrss is not used: Linux carries it over fork and exec, so a helper started by the
    benchmark would report the benchmark's own, much larger, peak.)"""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def current_rss_mb() -> float:
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def run_json_subprocess(args: list[str], env: dict | None = None, timeout: float = 1800) -> dict:
    """Run a Python helper that prints one JSON object as its last stdout line; return it (plus wall time)."""
    started = time.perf_counter()
    proc = subprocess.run(args, capture_output=True, text=True, timeout=timeout, cwd=str(REPO),
                          env={**os.environ, **(env or {})})
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args[:3])}... failed ({proc.returncode}):\n{proc.stderr[-3000:]}")
    lines = [line for line in proc.stdout.splitlines() if line.startswith("{")]
    if not lines:
        raise RuntimeError(f"{' '.join(args[:3])}... printed no JSON:\n{proc.stdout[-2000:]}\n{proc.stderr[-2000:]}")
    result = json.loads(lines[-1])
    result.setdefault("subprocess_wall_s", time.perf_counter() - started)
    return result


def machine_info() -> dict:
    import numpy
    import pandas

    info = {
        "cpu_model": _cpu_model(),
        "cores": os.cpu_count(),
        "ram_gib": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "platform": platform.platform(),
        "python": platform.python_version(),
        "numpy": numpy.__version__,
        "pandas": pandas.__version__,
        "load_average_at_start": load_average(),
    }
    for name in ("torch", "sentence_transformers", "transformers", "spacy", "usearch"):
        try:
            info[name] = __import__(name).__version__
        except Exception as exc:  # reported, not fatal
            info[name] = f"unavailable: {exc}"
    try:
        import torch

        info["torch_threads"] = torch.get_num_threads()
    except Exception:
        pass
    return info


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def python() -> str:
    return sys.executable
