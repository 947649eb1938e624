"""Subprocess: the real CLI ingest (`python -m positions ingest ...`) in a fresh process; prints its peak RSS.

    python -m bench.ingest_memory DB NEGOTIATION_DIR CORPUS_DIR
"""
import json
import sys

from bench.common import Clock, peak_rss_mb


def main() -> None:
    db, negotiation, corpus = sys.argv[1:4]
    from positions.cli import main as cli

    with Clock() as clock:
        code = cli(["ingest", corpus, "--negotiation", negotiation, "--db", db])
    print(json.dumps({"exit_code": code, "wall_s": clock.wall, "peak_rss_mb": peak_rss_mb()}))


if __name__ == "__main__":
    main()
