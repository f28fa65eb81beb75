"""The ``nlnews`` command line: argument parsing only; the work lives in ``runner.py``.

Exit codes: 0 every record ok; 1 some records carry an ``error:`` status or went to
``errors.jsonl`` (all others are still written); 2 usage or config error, missing input,
unwritable, full or locked output; 3 a model is missing under ``--strict``, the model store is corrupt
or a bundle is refused; 130 / 143 stopped by SIGINT (Ctrl-C) / SIGTERM, complete shards kept for ``--resume``.
"""

from __future__ import annotations

import argparse
import logging
import os
import re
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING

from pipeline import __version__
from pipeline.errors import ConfigError, ModelStoreError, ModelUnavailable, NlnewsError, OutputError, WorkerError

if TYPE_CHECKING:
    from pipeline.config import PipelineConfig
    from pipeline.models import ModelStatus

EXIT_OK, EXIT_RECORD_ERRORS, EXIT_USAGE, EXIT_MODEL_MISSING = 0, 1, 2, 3


class Interrupted(BaseException):
    """SIGINT or SIGTERM, raised where the program is so that every writer and worker is cleaned up on the way out.

    A ``BaseException``, like ``KeyboardInterrupt``: the per-record ``except Exception`` never swallows it.
    """

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signal = signal.Signals(signum)

    @property
    def exit_code(self) -> int:
        """128 + the signal number, as shells report it: 130 for SIGINT, 143 for SIGTERM."""
        return 128 + self.signal.value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="nlnews",
        description="Make Dutch news readable in English: clean, detect, entities, summarize, translate.",
        epilog="exit codes: 0 all ok, 1 some records have errors, 2 usage/config error, 3 model missing (--strict)",
    )
    parser.add_argument("--version", action="version", version=f"nlnews {__version__}")
    commands = parser.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="process articles into JSONL or Parquet records")
    run.add_argument(
        "inputs",
        nargs="+",
        metavar="INPUT",
        help="files, folders or globs: .jsonl(.gz/.zst), .csv, .parquet, .warc(.gz), .html, .txt; - is JSONL on stdin",
    )
    run.add_argument(
        "-o", "--output", required=True, help="OUT.jsonl, OUT.parquet, a folder DIR/ for shards, or - for stdout"
    )
    _add_config_args(run)
    run.add_argument("--strict", action="store_true", help="fail before any work if a model is missing")
    run.add_argument("--fail-fast", action="store_true", help="stop at the first stage error")
    run.add_argument("--batch-size", type=int, help="articles per batch (default: from config)")
    run.add_argument("-q", "--quiet", action="store_true", help="no progress bar or summary")
    dump = run.add_argument_group("dumps", "reading fields, output shards, resuming, duplicates")
    for name in ("text", "id", "title", "date", "url"):
        dump.add_argument(f"--{name}-field", default=name, metavar="NAME", help=f"source field of the {name}")
    dump.add_argument(
        "--language-field", default="language", metavar="NAME", help="source field of the declared language"
    )
    dump.add_argument("--format", choices=["jsonl", "parquet"], help="output format (default: from -o, else jsonl)")
    dump.add_argument("--shard-size", type=int, default=1000, help="records per shard in DIR/ (default 1000)")
    dump.add_argument("--resume", action="store_true", help="skip ids already in the completed shards of DIR/")
    dump.add_argument(
        "--duplicates", choices=["off", "exact", "near"], default="exact", help="flag copies (default exact)"
    )
    dump.add_argument("--skip-duplicates", action="store_true", help="do not process a copy; its status says so")
    dump.add_argument(
        "--max-record-chars", type=int, default=5_000_000, help="longer texts go to errors.jsonl (default 5,000,000)"
    )
    dump.add_argument(
        "--record-timeout",
        type=float,
        default=10.0,
        metavar="SECONDS",
        help="time budget of a record: at least SECONDS, 3 s more per 10,000 characters (60 s with full-text "
        "translation); a record over it gets 'error: timeout' and its worker process is replaced; records always "
        "run in worker processes then; 0: no budget (default 10)",
    )
    scale = run.add_argument_group("scale", "processes and engines")
    scale.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="worker processes (default: cores)")
    scale.add_argument(
        "--threads",
        type=int,
        metavar="N",
        help="torch CPU threads of each process running the stages, local engine (default: cores / workers)",
    )
    scale.add_argument("--unordered", action="store_true", help="write records as workers finish them")
    scale.add_argument("--engine", choices=["local", "ray"], default="local", help="local processes or Ray Data")
    scale.add_argument("--address", help="Ray cluster address (auto, ray://host:10001); default: a local Ray")

    report = commands.add_parser(
        "report", help="one self-contained HTML page of a finished run: counts, entities, charts, articles"
    )
    report.add_argument("run", metavar="RUN", help="a run's output: OUT.jsonl, OUT.parquet or a shard folder DIR/")
    report.add_argument(
        "-o", "--output", type=Path, help="the HTML file (default: beside the run, OUT.jsonl.report.html)"
    )
    report.add_argument(
        "--max-articles", type=int, default=2000, help="articles listed in the page, newest first (default 2000)"
    )

    show = commands.add_parser("config", help="print the filled config, defaults included")
    _add_config_args(show)

    _add_models_commands(commands)
    return parser


def _add_models_commands(commands: argparse._SubParsersAction) -> None:
    models = commands.add_parser("models", help="list, pull, verify, export, import or convert a config's models")
    actions = models.add_subparsers(dest="action", required=True, metavar="ACTION")
    descriptions = {
        "list": "the models the config needs: present, missing or corrupt, with revision, size, licence and location",
        "pull": "download what the store lacks at the pinned revision, then lock every file (sha256)",
        "verify": "check every file of the store against its lock",
        "export": "write the verified store and its lock into one tar, for a machine without network",
        "import": "unpack a bundle into the store, verify it against its lock, and only then make it visible",
        "convert": "convert the translation model to CTranslate2 int8 inside its store folder, and lock it",
    }
    for action, description in descriptions.items():
        sub = actions.add_parser(action, help=description, description=description)
        if action in ("export", "import"):
            sub.add_argument("bundle", type=Path, metavar="BUNDLE.tar", help="the bundle (.tar, .tar.gz or .tgz)")
        if action == "convert":
            sub.add_argument(
                "model",
                nargs="?",
                metavar="MODEL",
                help="a model in the store, or a local directory (converted inside it); default: translate.model",
            )
        _add_config_args(sub)
        sub.add_argument(
            "--models-dir",
            "--dir",
            type=Path,
            help="model store (default: models_dir from the config, $NLNEWS_MODELS, ./models when it exists, "
            "else the user cache)",
        )
        if action == "import":
            sub.add_argument(
                "--max-total",
                type=parse_size,
                metavar="SIZE",
                help="refuse a bundle that unpacks to more than this (default 20G; K, M, G, T are powers of 1024)",
            )
            sub.add_argument(
                "--max-file", type=parse_size, metavar="SIZE", help="refuse a file bigger than this (default 10G)"
            )
            sub.add_argument(
                "--max-ratio",
                type=int,
                metavar="N",
                help="refuse a bundle over 64M that unpacks to more than N times its size (default 50)",
            )
        if action == "pull":
            sub.add_argument(
                "--model",
                action="append",
                default=[],
                metavar="NAME",
                help="also pull this manifest model, e.g. an optional summariser",
            )


def parse_size(text: str) -> int:
    """``20G``, ``512M``, ``64K`` or plain bytes as a number of bytes (K, M, G, T are powers of 1024)."""
    match = re.fullmatch(r"(\d+)\s*([KMGT]?)(?:i?B)?", text.strip(), re.IGNORECASE)
    if match is None:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size such as 20G, 512M or 4096")
    return int(match[1]) * 1024 ** " KMGT".index(match[2].upper() or " ")


def _add_config_args(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-c", "--config", default="default", help="profile name (default, offline) or YAML path")
    parser.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="override, e.g. translate.full_text=true"
    )


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s", stream=sys.stderr)
    try:
        with _signals_as_exceptions():
            return _dispatch(args)
    except (ConfigError, OutputError, WorkerError) as error:
        print(f"nlnews: {error}", file=sys.stderr)
        return EXIT_USAGE
    except (ModelUnavailable, ModelStoreError) as error:
        print(f"nlnews: {error}", file=sys.stderr)
        return EXIT_MODEL_MISSING
    except Interrupted as stop:
        print(f"nlnews: stopped by {stop.signal.name}{_what_is_left(args)}", file=sys.stderr)
        return stop.exit_code


@contextmanager
def _signals_as_exceptions() -> Iterator[None]:
    """SIGINT and SIGTERM raise ``Interrupted``; a second signal while cleaning up is ignored."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        for name in (signal.SIGINT, signal.SIGTERM):
            signal.signal(name, signal.SIG_IGN)
        raise Interrupted(signum)

    try:
        previous = {name: signal.signal(name, interrupt) for name in (signal.SIGINT, signal.SIGTERM)}
    except ValueError:  # not the main thread: signals stay as they are
        yield
        return
    try:
        yield
    finally:
        for name, handler in previous.items():
            signal.signal(name, handler)


def _what_is_left(args: argparse.Namespace) -> str:
    """What a stopped ``run`` leaves behind, for its last line."""
    from pipeline.io.writers import is_stream

    output = getattr(args, "output", None)
    if args.command != "run" or output is None or is_stream(output):
        return ""
    if output.endswith(("/", os.sep)) or Path(output).is_dir():
        from pipeline.runner import shards_kept

        return f": {shards_kept(output)} in {output}; run again with --resume to continue"
    return f": {output} was not written (the unfinished .partial was removed)"


def _dispatch(args: argparse.Namespace) -> int:
    from pipeline.config import load_config, parse_assignments

    if args.command == "report":
        return _report(args)
    overrides = parse_assignments(args.set)
    if args.command == "config":
        print(load_config(args.config, overrides).to_yaml(), end="")
        return EXIT_OK
    if args.command == "models":
        return _models(args, load_config(args.config, overrides))
    return _run(args, overrides)


def _run(args: argparse.Namespace, overrides: dict[str, object]) -> int:
    from pipeline.config import load_config
    from pipeline.core import Pipeline
    from pipeline.errors import InputError
    from pipeline.io import FieldMap
    from pipeline.runner import JobOptions, run_job

    if args.batch_size:
        overrides["batch_size"] = args.batch_size
    options = JobOptions(
        workers=max(1, args.workers),
        ordered=not args.unordered,
        resume=args.resume,
        output_format=args.format,
        shard_size=args.shard_size,
        fields=FieldMap(
            args.text_field, args.id_field, args.title_field, args.date_field, args.url_field, args.language_field
        ),
        duplicates=args.duplicates,
        skip_duplicates=args.skip_duplicates,
        max_record_chars=args.max_record_chars,
        record_timeout=max(0.0, args.record_timeout),
        threads=None if args.threads is None else max(1, args.threads),
    )
    if args.engine == "ray":
        try:
            from pipeline.engines.ray import run_ray_job
        except ImportError:
            print("nlnews: --engine ray needs Ray: pip install 'nl-news-pipeline[ray]'", file=sys.stderr)
            return EXIT_USAGE
        # The driver loads only the config: each Ray actor builds its own Pipeline from it.
        config = load_config(args.config, overrides)
    else:
        pipeline = Pipeline(args.config, overrides=overrides, strict=args.strict, fail_fast=args.fail_fast)
    progress = not args.quiet and sys.stderr.isatty()
    try:
        if args.engine == "ray":
            summary = run_ray_job(
                config,
                args.inputs,
                args.output,
                options=options,
                strict=args.strict,
                fail_fast=args.fail_fast,
                address=args.address,
            )
        else:
            summary = run_job(pipeline, args.inputs, args.output, progress=progress, options=options)
    except InputError as error:
        print(f"nlnews: {error}", file=sys.stderr)
        return EXIT_USAGE
    if not args.quiet:
        print(summary.report(), file=sys.stderr)
    failed = summary.with_errors or summary.unreadable or summary.duplicate_ids or summary.unwritable
    return EXIT_RECORD_ERRORS if failed else EXIT_OK


def _report(args: argparse.Namespace) -> int:
    """Write the run's HTML report; a missing or unreadable run is one line and exit 2."""
    import importlib.util

    from pipeline.errors import InputError

    missing = [name for name in ("pandas", "matplotlib") if importlib.util.find_spec(name) is None]
    if missing:
        print(f"nlnews: report needs {' and '.join(missing)}: pip install 'nl-news-pipeline[report]'", file=sys.stderr)
        return EXIT_USAGE
    from pipeline.report import write_report

    try:
        path = write_report(args.run, args.output, max_articles=max(0, args.max_articles))
    except (ImportError, InputError) as error:
        print(f"nlnews: {error}", file=sys.stderr)
        return EXIT_USAGE
    except OSError as error:
        print(f"nlnews: cannot write the report: {error}", file=sys.stderr)
        return EXIT_USAGE
    print(path)
    return EXIT_OK


def _models(args: argparse.Namespace, config: PipelineConfig) -> int:
    from pipeline.models import BundleLimits, export_bundle, import_bundle, models_store, verify

    store = models_store(args.models_dir or config.models_dir)
    progress = sys.stderr.isatty()
    extra = _manifest_rows(args.model) if args.action == "pull" else []
    try:
        if args.action in ("list", "pull"):
            return _list_or_pull(args, config, store, extra, progress)
        if args.action == "verify":
            return _verify(verify(store, progress=progress), store)
        if args.action == "convert":
            name = args.model or config.translate.model
            revision = config.translate.revision if name == config.translate.model else None
            print(f"{name}: converted to CTranslate2 in {convert_model(store, name, revision, progress=progress)}")
            return EXIT_OK
        if args.action == "export":
            names = export_bundle(args.bundle, store, progress=progress)
            print(f"exported {len(names)} verified models and the lock to {args.bundle}: {', '.join(names)}")
        elif not args.bundle.is_file():
            print(f"nlnews: {args.bundle}: no such file", file=sys.stderr)
            return EXIT_USAGE
        else:
            given = {"total_bytes": args.max_total, "file_bytes": args.max_file, "ratio": args.max_ratio}
            limits = BundleLimits(**{name: value for name, value in given.items() if value is not None})
            names = import_bundle(args.bundle, store, limits=limits, progress=progress)
            print(
                f"imported {len(names)} models into {store}, each verified against the bundle's lock: {', '.join(names)}"
            )
    except NlnewsError as error:
        print(f"nlnews: {error}", file=sys.stderr)
        return EXIT_MODEL_MISSING
    return EXIT_OK


def _manifest_rows(names: list[str]) -> list[tuple[str, str, str, str | None]]:
    """``--model`` names as ``configured_models`` rows; a name outside the manifest is a usage error."""
    from pipeline.models import load_manifest

    manifest = load_manifest()
    unknown = [name for name in names if name not in manifest]
    if unknown:
        raise ConfigError(f"--model {unknown[0]!r} is not in models/manifest.yaml (known: {', '.join(manifest)})")
    return [(manifest[name].stage, manifest[name].source, name, None) for name in names]


def _list_or_pull(
    args: argparse.Namespace,
    config: PipelineConfig,
    store: Path,
    extra: list[tuple[str, str, str, str | None]],
    progress: bool,
) -> int:
    """Print the table of the config's models; ``pull`` first fetches what the store lacks."""
    from pipeline.models import configured_models, is_offline, locate, pull
    from pipeline.stages.base import StageContext

    context = StageContext(models_dir=store, offline=config.offline)
    rows = configured_models(config) + extra
    if not rows:
        print("this config needs no downloaded model")
        return EXIT_OK
    statuses = []
    for stage, kind, name, revision in rows:
        status = locate(stage, kind, name, revision, context, progress=progress)
        if args.action == "pull" and (status.origin not in ("path", "store") or status.state == "corrupt"):
            print(f"pulling {name} for {stage} into {store} ...", file=sys.stderr)
            try:
                pull(stage, kind, name, revision, store, offline=is_offline(context), progress=progress)
            except ModelUnavailable as error:
                print(f"nlnews: {error}", file=sys.stderr)
            status = locate(stage, kind, name, revision, context)
        statuses.append(status)
    if args.action == "pull":
        _convert_for_backend(config, store, statuses)
    print(_table(statuses))
    failing = [status for status in statuses if status.state != "present"]
    if failing:
        print(f"\n{len(failing)} of {len(statuses)} models not usable; fix: {_fix(args, store, is_offline(context))}")
    return EXIT_MODEL_MISSING if failing else EXIT_OK


def _convert_for_backend(config: PipelineConfig, store: Path, statuses: list[ModelStatus]) -> None:
    """With ``translate.backend: ctranslate2``, convert the pulled model now so the lock and bundles carry it."""
    if config.translate.backend != "ctranslate2":
        return
    for status in statuses:
        if status.stage == "translate" and status.origin == "store" and status.state == "present":
            try:
                convert_model(store, status.name, status.revision)
            except ModelUnavailable as error:
                print(f"nlnews: {error}", file=sys.stderr)


def convert_model(store: Path, name: str, revision: str | None, *, progress: bool = False) -> Path:
    """Convert a translation model in the store, or at a local path, to CTranslate2, and lock the conversion.

    The only writer of conversions: a stage that finds none is unavailable and
    names this command. A model found only in the Hugging Face cache is refused,
    since nlnews never writes into a library's cache; ``pull`` copies it into the store.

    Raises:
        ModelUnavailable: the model is missing, corrupt, only cached, or cannot be converted.
    """
    from pipeline.models import convert_ctranslate2, locate, read_lock, relock, resolve_hf_model
    from pipeline.stages.base import StageContext

    context = StageContext(models_dir=store, offline=True)
    status = locate("translate", "huggingface", name, revision, context)
    pull = f"`nlnews models pull --models-dir {store}` (same --config and --set) copies it into the store; then convert"
    if status.state != "present":
        raise ModelUnavailable("translate", name, f"{status.state}: {status.location}", pull)
    if status.origin == "cache" or _in_hub_cache(Path(status.location)):
        reason = f"only in the Hugging Face cache ({status.location}), which nlnews never writes into"
        raise ModelUnavailable("translate", name, reason, pull)
    converted = convert_ctranslate2("translate", resolve_hf_model("translate", name, revision, context))
    if status.origin == "store" and name in read_lock(store):
        relock(store, name, progress=progress)
    return converted


def _in_hub_cache(path: Path) -> bool:
    """Whether ``path`` lies in the Hugging Face cache, also when a config names a snapshot folder directly."""
    from huggingface_hub import constants

    return path.resolve().is_relative_to(Path(constants.HF_HUB_CACHE).resolve())


def _table(statuses: list[ModelStatus]) -> str:
    """One aligned line per model; a missing model's size is the manifest's estimate."""
    rows = [("stage", "model", "status", "revision", "size", "licence", "location")]
    for status in statuses:
        size = "?" if status.size is None else f"{status.size / 1e6:,.{0 if status.size >= 1e7 else 1}f} MB"
        if status.state == "missing" and status.size is not None:
            size = "~" + size
        revision = (status.revision or "-")[:12]
        rows.append((status.stage, status.name, status.state, revision, size, status.licence, status.location))
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]) - 1)]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  " + row[-1] for row in rows)


def _fix(args: argparse.Namespace, store: Path, offline: bool) -> str:
    """The exact commands that make the store complete: ``pull`` here, or through a bundle when offline."""
    options = f"--config {args.config}" + "".join(f" --set {item}" for item in args.set) + f" --models-dir {store}"
    pull = f"nlnews models pull {options}"
    if not offline:
        return pull
    return (
        f"{pull}\n(this run is offline: run that on a machine with internet, then "
        f"`nlnews models export BUNDLE.tar --models-dir DIR` there and "
        f"`nlnews models import BUNDLE.tar --models-dir {store}` here)"
    )


def _verify(results: dict[str, list[str]], store: Path) -> int:
    if not results:
        print(f"{store} has no lock file: nothing to verify; run `nlnews models pull` first")
        return EXIT_MODEL_MISSING
    for name, problems in results.items():
        print(f"{name}: {'ok' if not problems else 'FAILED'}")
        for problem in problems:
            print(f"  {problem}")
    failed = sum(bool(problems) for problems in results.values())
    print(f"{len(results) - failed} of {len(results)} models match {store / 'lock.json'}")
    return EXIT_MODEL_MISSING if failed else EXIT_OK
