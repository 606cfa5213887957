"""The `kzqa` command: one entry point, one subcommand per stage of the pipeline."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from rich.console import Console

from chat_app.config import ConfigError, KzqaConfig, load_config

EXIT_OK = 0
EXIT_PARTIAL = 1  # the command ran, but some inputs were skipped
EXIT_ERROR = 2  # the command could not run; the message says why


class UserError(Exception):
    """A problem the user can fix; printed without a traceback."""


def _ingest(args: argparse.Namespace, config: KzqaConfig, console: Console) -> int:
    from chat_app.ingest_table import render_ingest_report
    from ingest import ChineseSentenceChunker, CorpusNotFound, ingest_corpus

    chunker = ChineseSentenceChunker(chunk_size=config.chunk_size, chunk_overlap=config.chunk_overlap)
    try:
        report = ingest_corpus(config.corpus_dir, chunker)
    except CorpusNotFound as error:
        raise UserError(str(error)) from None
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_ingest_report(report, console)
    if not report.documents:
        console.print(f"[red]no documents could be ingested from {config.corpus_dir}[/red]")
        return EXIT_ERROR
    return EXIT_PARTIAL if report.skipped else EXIT_OK


COMMANDS: dict[str, Callable[[argparse.Namespace, KzqaConfig, Console], int]] = {
    "ingest": _ingest,
}


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="kzqa",
        description="Offline Q&A with citations over articles on Kazakhstan's balancing diplomacy.",
    )
    parser.add_argument("--config", type=Path, help="path to a kzqa.toml (default: ./kzqa.toml if present)")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ingest = commands.add_parser("ingest", help="clean and chunk the corpus; print one row per document")
    ingest.add_argument("--corpus", type=Path, help="folder of articles (default: the project's corpus/)")
    ingest.add_argument("--json", action="store_true", help="print the report as JSON")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    # Piped output has no terminal width; give tables room instead of rich's 80-column default.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    try:
        config = load_config(config_file=args.config, corpus_dir=getattr(args, "corpus", None))
        return COMMANDS[args.command](args, config, console)
    except (UserError, ConfigError) as error:
        print(f"kzqa: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kzqa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
