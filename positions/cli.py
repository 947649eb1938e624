"""Command line: python -m positions ingest | statements | search | reanalyse | eval | eval-stance | train-stance |
speakers | settings."""
from __future__ import annotations

import argparse
import csv
import datetime as dt
import json
import os
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path
from typing import Sequence

from .config import (ReaderSettings, Settings, TrainingSettings, default_db_path, iter_settings, load_negotiation,
                     with_overrides)
from .errors import ConfigError, PositionsError, StoreError, failure_line

EXIT_OK, EXIT_INPUT_FAILED, EXIT_USAGE = 0, 1, 2
STATEMENT_FIELDS = ("id", "sentence", "party", "topic", "stance", "numbers", "date", "date_precision", "published",
                    "doc_title", "doc_source", "doc_origin", "start", "end", "confidence", "attribution", "speaker",
                    "relayed_by", "topic_score", "stance_probability", "stance_sure", "corrected", "negotiation",
                    "sentence_id")


def _date(value: str) -> dt.date:
    try:
        when = dt.date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{value!r} is not a date (YYYY-MM-DD)") from None
    earliest = ReaderSettings().earliest_year
    if when > dt.date.today() + dt.timedelta(days=1) or when.year < earliest:
        raise argparse.ArgumentTypeError(f"{value} is in the future or before {earliest}")
    return when


def _override(value: str) -> tuple[str, str]:
    name, sep, setting_value = value.partition("=")
    if not sep or not name.strip():
        raise argparse.ArgumentTypeError(f"{value!r} is not NAME=VALUE (e.g. reader.url_timeout_seconds=5)")
    return name.strip(), setting_value.strip()


def _add_settings_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--set", type=_override, action="append", default=[], dest="overrides", metavar="NAME=VALUE",
                        help="change a setting for this run, e.g. --set reader.url_timeout_seconds=5 "
                             "(names: python -m positions settings)")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="positions", description="Track negotiation positions in news articles.")
    sub = parser.add_subparsers(dest="command", required=True)
    db_help = f"store file (default: $POSITIONS_DB or {default_db_path()})"

    ingest = sub.add_parser("ingest", help="read articles (files, folders, URLs), analyse and store them")
    ingest.add_argument("paths", nargs="+", metavar="PATH")
    ingest.add_argument("--negotiation", required=True, metavar="DIR", help="folder with parties.yaml, topics.yaml")
    ingest.add_argument("--db", metavar="FILE", help=db_help)
    ingest.add_argument("--date", type=_date, metavar="YYYY-MM-DD", help="publication date of inputs that carry none")
    _add_settings_option(ingest)

    statements = sub.add_parser("statements", help="print stored position rows")
    statements.add_argument("--db", metavar="FILE", help=db_help)
    statements.add_argument("--format", choices=("jsonl", "csv"), default="jsonl")
    statements.add_argument("--party", metavar="ID")
    statements.add_argument("--topic", metavar="ID")
    statements.add_argument("--negotiation", metavar="NAME", help="only this stored negotiation (by name)")
    statements.add_argument("--positions-only", action="store_true", help="leave out sentences with no position")
    statements.add_argument("--to-review", action="store_true",
                            help="only positions whose stance is not sure (below stance.sure_probability, "
                                 "not corrected): the rows worth checking by hand")
    _add_settings_option(statements)

    search = sub.add_parser("search", help="find the stored statements most similar to a text")
    search.add_argument("text", metavar="TEXT")
    search.add_argument("--db", metavar="FILE", help=db_help)
    search.add_argument("-k", type=int, default=10, metavar="N")
    search.add_argument("--party", metavar="ID")
    search.add_argument("--topic", metavar="ID")
    search.add_argument("--stance")
    search.add_argument("--negotiation", metavar="NAME")
    search.add_argument("--format", choices=("text", "jsonl"), default="text")
    _add_settings_option(search)

    reanalyse = sub.add_parser("reanalyse", help="re-run the analysis of stored documents with a (changed) config")
    reanalyse.add_argument("--negotiation", required=True, metavar="DIR")
    reanalyse.add_argument("--db", metavar="FILE", help=db_help)
    _add_settings_option(reanalyse)

    evaluate = sub.add_parser("eval", help="measure extraction against labelled sentences")
    evaluate.add_argument("labels", nargs="+", metavar="LABELS.jsonl")
    evaluate.add_argument("--negotiation", required=True, metavar="DIR")
    evaluate.add_argument("--articles", metavar="DIR", help="articles folder (default: articles/ beside the labels)")
    evaluate.add_argument("--format", choices=("text", "json"), default="text")
    evaluate.add_argument("--worst", type=int, default=15, metavar="N", help="how many misses to list")
    evaluate.add_argument("--save", metavar="FILE", help="also write the JSON figures to FILE")

    evaluate.add_argument("--method", choices=("model", "rules"), help="how stance is read (default: stance.method)")
    _add_settings_option(evaluate)

    stance = sub.add_parser("eval-stance", help="measure stance (model or rules) on single labelled sentences")
    stance.add_argument("labels", nargs="*", default=["data/stance_sentences"], metavar="FILE_OR_DIR",
                        help=".jsonl files or folders (default: data/stance_sentences)")
    stance.add_argument("--format", choices=("text", "json"), default="text")
    stance.add_argument("--worst", type=int, default=15, metavar="N", help="how many misses to list")
    stance.add_argument("--method", choices=("model", "rules"), help="how stance is read (default: stance.method)")
    _add_settings_option(stance)

    train = sub.add_parser("train-stance", help="fine-tune the stance model on labelled positions")
    train.add_argument("sentences", nargs="*", metavar="FILE_OR_DIR",
                       help="stance-sentence .jsonl files or folders (rows as in data/stance_sentences)")
    train.add_argument("--labels", action="append", default=[], metavar="LABELS.jsonl=DIR",
                       help="evaluation labels and their negotiation folder, e.g. "
                            "data/eval/NAME/dev.jsonl=data/negotiations/NAME (repeatable)")
    train.add_argument("--out", required=True, metavar="FILE.safetensors",
                       help="where the weights go (use them with --set stance.weights=FILE)")
    train.add_argument("--epochs", type=int, default=TrainingSettings.epochs)
    train.add_argument("--frozen-layers", type=int, default=TrainingSettings.frozen_layers,
                       help="lower encoder layers left as in the base model")
    train.add_argument("--learning-rate", type=float, default=TrainingSettings.learning_rate)
    train.add_argument("--labels-weight", type=int, default=TrainingSettings.labels_weight,
                       help="how often each --labels position counts (they are closest to what the pipeline reads)")
    train.add_argument("--seed", type=int, default=TrainingSettings.seed)

    speakers = sub.add_parser("speakers", help="people and bodies who speak in the stored articles but match no "
                                               "alias, with the party their introductions name")
    speakers.add_argument("--negotiation", required=True, metavar="DIR", help="the negotiation's config folder")
    speakers.add_argument("--db", metavar="FILE", help=db_help)
    speakers.add_argument("--min", type=int, default=2, metavar="N", dest="min_statements",
                          help="leave out speakers with fewer statements (default 2)")
    speakers.add_argument("--format", choices=("text", "jsonl", "yaml"), default="text",
                          help="yaml: only the aliases to add, per party")
    _add_settings_option(speakers)

    sub.add_parser("settings", help="list every setting with its default and help")
    return parser


def _open_store(path: str | None):
    from .store import Store

    return Store(Path(path) if path else default_db_path()).init()


def _settings(args) -> Settings:
    """Default settings with the run's --set NAME=VALUE overrides, each converted to the setting's type."""
    settings = Settings()
    current = {name: value for name, value, _ in iter_settings(settings)}
    overrides: dict[str, object] = {}
    for name, text in getattr(args, "overrides", []):
        if name not in current:
            with_overrides(settings, {name: text})  # raises ConfigError naming the valid settings
        kind = type(current[name])
        try:
            overrides[name] = _boolean(text) if kind is bool else kind(text) if kind in (int, float) else text
        except ValueError:
            raise ConfigError(f"setting {name} needs a {kind.__name__}, not {text!r}") from None
    return with_overrides(settings, overrides)


def _boolean(text: str) -> bool:
    """'true' / 'false' (also yes/no, on/off, 1/0): bool('false') would be True."""
    word = text.strip().lower()
    if word in ("true", "yes", "on", "1"):
        return True
    if word in ("false", "no", "off", "0"):
        return False
    raise ValueError(text)


def _one_line(text: str) -> str:
    """One stderr line per message: line breaks (from a file name or a parser) become spaces."""
    return " ".join(text.splitlines())


def _fake_embedder_requested() -> bool:
    return os.environ.get("POSITIONS_FAKE_EMBEDDER") == "1"


def cmd_ingest(args) -> int:
    from tqdm import tqdm

    from .pipeline import ingest, load_analyser

    settings = _settings(args)
    negotiation = load_negotiation(args.negotiation)
    store = _open_store(args.db)
    analyser = load_analyser(negotiation, settings)
    bar = tqdm(total=0, unit="doc", file=sys.stderr, disable=None, desc="analysing")

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.n = done
        bar.refresh()

    report = ingest(args.paths, store, analyser, default_date=args.date, progress=progress)
    bar.close()
    for label, warning in report.warnings:
        print(_one_line(f"{label}: warning: {warning}"), file=sys.stderr)
    for label, reason in report.failed:
        print(_one_line(failure_line(label, reason)), file=sys.stderr)
    print(f"added {report.added} documents ({report.sentences} sentences), {report.skipped} already stored, "
          f"{len(report.failed)} failed -> {store.path}", file=sys.stderr)
    return EXIT_INPUT_FAILED if report.failed else EXIT_OK


def _row_dict(row: dict) -> dict:
    out = {}
    for name in STATEMENT_FIELDS:
        value = row.get(name)
        if name == "numbers":
            value = [{"value": n["value"], "unit": n["unit"]} for n in value]
        elif hasattr(value, "item"):
            value = value.item()
        if isinstance(value, float) and value != value:
            value = None
        out[name] = value
    if "score" in row:
        out["score"] = round(float(row["score"]), 4)
    return out


def cmd_statements(args) -> int:
    from .analysis import stance_sure

    settings = _settings(args)
    store = _open_store(args.db)
    frame = store.statements(negotiation=args.negotiation, party=args.party, topic=args.topic,
                             positions_only=args.positions_only or args.to_review)
    frame["stance_sure"] = stance_sure(frame, settings.stance.sure_probability)
    if args.to_review:
        frame = frame[~frame["stance_sure"]]
    rows = [_row_dict(r) for r in frame.to_dict("records")]
    if args.format == "jsonl":
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
    else:
        writer = csv.DictWriter(sys.stdout, fieldnames=list(STATEMENT_FIELDS))
        writer.writeheader()
        for row in rows:
            writer.writerow({**row, "numbers": json.dumps(row["numbers"], ensure_ascii=False)})
    return EXIT_OK


def cmd_search(args) -> int:
    from .analysis import stance_sure
    from .embeddings import make_embedder
    from .search import StatementSearch

    settings = _settings(args)
    store = _open_store(args.db)
    searcher = StatementSearch(store, make_embedder(settings.embedding), settings.search)
    frame = searcher.search(args.text, k=args.k, negotiation=args.negotiation, party=args.party, topic=args.topic,
                            stance=args.stance)
    frame["stance_sure"] = stance_sure(frame, settings.stance.sure_probability)
    for row in frame.to_dict("records"):
        item = _row_dict(row)
        if args.format == "jsonl":
            print(json.dumps(item, ensure_ascii=False))
        else:
            who = f"{item['party'] or '-'} / {item['topic'] or '-'} / {item['stance'] or '-'}"
            print(f"{item['score']:.3f}  {item['date']}  {who}\n       {item['sentence']}\n"
                  f"       ({item['doc_title'] or ''} — {item['doc_source'] or ''})")
    return EXIT_OK


def cmd_reanalyse(args) -> int:
    from tqdm import tqdm

    from .pipeline import load_analyser, reanalyse

    settings = _settings(args)  # a bad --set fails before anything is read
    negotiation = load_negotiation(args.negotiation)
    store = _open_store(args.db)
    bar = tqdm(total=0, unit="doc", file=sys.stderr, disable=None, desc="re-analysing")

    def progress(done: int, total: int) -> None:
        bar.total, bar.n = total, done
        bar.refresh()

    count = reanalyse(store, load_analyser(negotiation, settings), progress)
    bar.close()
    print(f"re-analysed {count} documents of {negotiation.name}", file=sys.stderr)
    return EXIT_OK


def _stance_settings(args) -> Settings:
    """--set overrides, and --method for stance.method."""
    settings = _settings(args)
    return with_overrides(settings, {"stance.method": args.method}) if args.method else settings


def cmd_eval(args) -> int:
    from .evaluation import evaluate_files, format_report

    report = evaluate_files(args.labels, args.negotiation, args.articles, settings=_stance_settings(args))
    text = json.dumps(report, indent=2, ensure_ascii=False)
    if args.save:
        Path(args.save).write_text(text + "\n", encoding="utf-8")
    print(text if args.format == "json" else format_report(report, worst=args.worst))
    return EXIT_OK


def cmd_eval_stance(args) -> int:
    from .pipeline import load_spacy
    from .stance_eval import format_stance_report, load_stance_rows, score_stance

    from .stance_model import make_stance_classifier

    settings = _stance_settings(args)
    rows = load_stance_rows(args.labels)
    report = score_stance(rows, load_spacy(settings.pipeline.spacy_model), make_stance_classifier(settings.stance),
                          settings.stance.rules_weight, settings.stance.sure_probability)
    print(json.dumps(report, indent=2, ensure_ascii=False) if args.format == "json"
          else format_stance_report(report, worst=args.worst))
    return EXIT_OK


def cmd_train_stance(args) -> int:
    from .embeddings import resolve_model_path
    from .evaluation import load_labels
    from .stance_eval import load_stance_rows
    from .stance_training import examples_from_labels, examples_from_stance_rows, save_network, train_network

    settings = TrainingSettings(epochs=args.epochs, learning_rate=args.learning_rate, frozen_layers=args.frozen_layers,
                                seed=args.seed, labels_weight=args.labels_weight)
    out = Path(args.out)
    try:  # before minutes of training, not after
        out.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=out.parent):
            pass
    except OSError as exc:
        raise ConfigError(f"--out {out}: cannot write there ({exc.strerror})") from None
    examples = examples_from_stance_rows(load_stance_rows(args.sentences)) if args.sentences else []
    for pair in args.labels:
        labels, sep, negotiation = pair.partition("=")
        if not sep:
            raise ConfigError(f"--labels {pair!r} is not LABELS.jsonl=NEGOTIATION_DIR")
        examples += examples_from_labels(load_labels([labels]), load_negotiation(negotiation)) * settings.labels_weight
    if not examples:
        raise ConfigError("no labelled positions: give stance-sentence files and/or --labels LABELS.jsonl=DIR")
    base_model = Settings().stance.base_model
    print(f"training on {len(examples)} labelled positions", file=sys.stderr)
    network = train_network(examples, resolve_model_path(base_model), settings,
                            progress=lambda line: print(line, file=sys.stderr))
    path = save_network(network, out, {
        "base_model": base_model, "examples": len(examples), "trained_on": list(args.sentences) + list(args.labels),
        "settings": asdict(settings)})
    print(f"wrote {path} (use it with --set stance.weights={path})", file=sys.stderr)
    return EXIT_OK


def cmd_speakers(args) -> int:
    from tqdm import tqdm

    from .pipeline import load_spacy
    from .speakers import stored_speakers, yaml_lines

    settings = _settings(args)
    negotiation = load_negotiation(args.negotiation)
    store = _open_store(args.db)
    store.negotiation(negotiation.name)  # a clear error when nothing of it is stored
    suggestions = stored_speakers(
        store, negotiation, load_spacy(settings.pipeline.spacy_model, entities=True), args.min_statements,
        settings.pipeline.spacy_batch_size,
        lambda docs, total: tqdm(docs, total=total, unit="sentence", file=sys.stderr, disable=None,
                                 desc="reading speakers"))
    if args.format == "yaml":
        print(yaml_lines(suggestions), end="")
    elif args.format == "jsonl":
        for suggestion in suggestions:
            print(json.dumps(asdict(suggestion), ensure_ascii=False))
    elif not suggestions:
        print(f"Every speaker with {args.min_statements} or more statements matches an alias of {negotiation.name}.")
    else:
        print(f"{len(suggestions)} speakers match no alias of {negotiation.name} ({args.min_statements}+ statements), "
              "most statements without a party first:\n")
        for item in suggestions:
            print(f"{item.name}: {item.statements} statement{'s' * (item.statements != 1)}, {item.without_party} "
                  f"without a party -> {item.party or '?'} ({item.evidence})\n    e.g. {item.example}")
        print("\n" + yaml_lines(suggestions), end="")
    return EXIT_OK


def cmd_settings(args) -> int:
    for name, value, help_text in iter_settings(Settings()):
        print(f"{name} = {value!r}\n    {help_text}")
    return EXIT_OK


COMMANDS = {"ingest": cmd_ingest, "statements": cmd_statements, "search": cmd_search, "reanalyse": cmd_reanalyse,
            "eval": cmd_eval, "eval-stance": cmd_eval_stance, "train-stance": cmd_train_stance,
            "speakers": cmd_speakers, "settings": cmd_settings}


def main(argv: Sequence[str] | None = None) -> int:
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except ConfigError as exc:
        print(f"config error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except StoreError as exc:
        print(f"store error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except PositionsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INPUT_FAILED
    except BrokenPipeError:
        return EXIT_OK
    except KeyboardInterrupt:  # each document is stored whole or not at all; a re-run completes the rest
        print("interrupted", file=sys.stderr)
        return 130
