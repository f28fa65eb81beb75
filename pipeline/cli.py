"""The ``nlnews`` command line: argument parsing only; the work lives in ``runner.py``.

Exit codes: 0 every record ok; 1 some records carry an ``error:`` status (all
are still written); 2 usage or config error; 3 a model is missing under ``--strict``.
"""

from __future__ import annotations

import argparse
import logging
import sys
from dataclasses import replace
from pathlib import Path

from pipeline.errors import ConfigError, ModelUnavailable

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_MODEL_MISSING = 0, 1, 2, 3


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlnews",
        description="Make Dutch news readable in English: clean, detect, entities, summarize, translate.",
        epilog="exit codes: 0 all ok, 1 some records have errors, 2 usage/config error, 3 model missing (--strict)",
    )
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="process articles into JSONL records")
    run.add_argument("inputs", nargs="+", metavar="INPUT", help=".txt, .jsonl, a folder, or - for JSONL on stdin")
    run.add_argument("-o", "--output", required=True, help="output .jsonl file, or - for stdout")
    _add_config_args(run)
    run.add_argument("--strict", action="store_true", help="fail before any work if a model is missing")
    run.add_argument("--fail-fast", action="store_true", help="stop at the first stage error")
    run.add_argument("--batch-size", type=int, help="articles per batch (default: from config)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")

    show = commands.add_parser("config", help="print the filled config, defaults included")
    _add_config_args(show)

    models = commands.add_parser("models", help="list or download the models a config needs")
    models.add_argument("action", choices=["list", "pull"])
    _add_config_args(models)
    models.add_argument("--dir", type=Path, help="model store (default: models_dir from config, else ./models)")
    return parser


def _add_config_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-c", "--config", default="default", help="profile name (default, offline) or YAML path")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override, e.g. translate.full_text=true"
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        return _dispatch(args)
    except ConfigError as error:
        print(f"nlnews: {error}", file=sys.stderr)
        return EXIT_USAGE
    except ModelUnavailable as error:
        print(f"nlnews: {error}", file=sys.stderr)
        return EXIT_MODEL_MISSING


def _dispatch(args: argparse.Namespace) -> int:
    from pipeline.config import load_config, parse_assignments

    overrides = parse_assignments(args.set)
    if args.command == "config":
        print(load_config(args.config, overrides).to_yaml(), end="")
        return EXIT_OK
    if args.command == "models":
        return _models(args.action, load_config(args.config, overrides), args.dir)
    return _run(args, overrides)


def _run(args: argparse.Namespace, overrides: dict[str, object]) -> int:
    from pipeline.core import Pipeline
    from pipeline.runner import run_job

    if args.batch_size:
        overrides["batch_size"] = args.batch_size
    pipeline = Pipeline(args.config, overrides=overrides, strict=args.strict, fail_fast=args.fail_fast)
    progress = not args.quiet and sys.stderr.isatty()
    summary = run_job(pipeline, args.inputs, args.output, progress=progress)
    if not args.quiet:
        print(summary.report(), file=sys.stderr)
    return EXIT_RECORD_ERRORS if summary.with_errors else EXIT_OK


def _models(action: str, config: object, directory: Path | None) -> int:
    from pipeline.models import configured_models, locate, pull
    from pipeline.stages.base import StageContext

    store = directory or getattr(config, "models_dir", None) or Path("models")
    context = StageContext(models_dir=store)
    rows = configured_models(config)
    if not rows:
        print("this config needs no downloaded model")
        return EXIT_OK
    missing = 0
    for stage, kind, name, revision in rows:
        status = locate(stage, kind, name, revision, context)
        if action == "pull" and status.state == "missing":
            print(f"pulling {name} for {stage} ...", file=sys.stderr)
            status = replace(status, state="pulled", location=str(pull(stage, kind, name, revision, store)))
        missing += status.state == "missing"
        print(f"{stage:<10} {name:<32} {status.state:<8} {status.location}")
    return EXIT_MODEL_MISSING if missing else EXIT_OK
