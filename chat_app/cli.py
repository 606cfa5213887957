"""The `kzqa` command: one entry point, one subcommand per stage of the pipeline."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Console
from rich.markup import escape

from chat_app.question_input import MAX_PASSAGES
from ingest.errors import KzqaError

if TYPE_CHECKING:  # the configuration imports the index's enums, which load llama-index: not for --help
    from chat_app.config import KzqaConfig

EXIT_OK = 0
EXIT_PARTIAL = 1  # the command ran, but some inputs were skipped
EXIT_ERROR = 2  # the command could not run; the message says why


class UserError(KzqaError):
    """A problem the user can fix; printed without a traceback."""


def _ingest(args: argparse.Namespace, config: KzqaConfig, console: Console) -> int:
    from chat_app.ingest_table import render_ingest_report
    from ingest import ChineseSentenceChunker, ingest_corpus

    chunker = ChineseSentenceChunker(chunk_size=config.chunk_size, chunk_overlap=config.chunk_overlap)
    report = ingest_corpus(config.corpus_dir, chunker)
    if args.json:
        print(json.dumps(report.to_dict(), ensure_ascii=False, indent=2))
    else:
        render_ingest_report(report, console)
    if not report.documents:
        console.print(f"[red]no documents could be ingested from {config.corpus_dir}[/red]")
        return EXIT_ERROR
    return EXIT_PARTIAL if report.skipped else EXIT_OK


def _index(args: argparse.Namespace, config: KzqaConfig, console: Console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    from chat_app.index_settings import index_settings
    from index.indexer import build_index

    with Progress(
        TextColumn("[bold]embedding"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
        console=console, transient=True,
    ) as bar:  # fmt: skip
        task = bar.add_task("embedding", total=None)
        summary = build_index(
            index_settings(config),
            rebuild=args.rebuild,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
            status=lambda message: console.print(f"[dim]{escape(message)}[/dim]"),
        )
    for skipped in summary.skipped:
        console.print(f"[red]skipped {escape(skipped.source)}: {escape(skipped.reason)}[/red]")
    for private in summary.private_skipped:  # named by its folder, as an operator finds it
        where = f"private/{private.owner}/{private.skipped.source}"
        console.print(f"[red]skipped {escape(where)}: {escape(private.skipped.reason)}[/red]")
    if summary.unchanged:
        console.print(f"index is up to date: {summary.chunks} chunks from {summary.documents} documents "
                      f"({summary.seconds:.2f} s)")  # fmt: skip
    else:
        console.print(
            f"indexed {summary.documents} documents: {summary.chunks} chunks — added {summary.added}, "
            f"kept {summary.kept}, removed {summary.removed}; embedded {summary.embedded}, "
            f"reused {summary.reused} vectors"
            + (f", {summary.resumed} made by the interrupted run" if summary.resumed else "")
            + f" ({summary.seconds:.1f} s)"
        )
    return EXIT_PARTIAL if summary.skipped or summary.private_skipped else EXIT_OK


def _retrieve(args: argparse.Namespace, config: KzqaConfig, console: Console) -> int:
    from chat_app.index_settings import index_settings
    from chat_app.source_origin import SourceOrigins
    from index.hybrid_retriever import HybridRetriever, RetrievalMode

    question = _question(args.question)
    try:
        mode = RetrievalMode.from_str(args.mode) if args.mode else config.retrieval_mode
    except ValueError as error:
        raise UserError(str(error)) from None
    retriever = HybridRetriever(index_settings(config))
    passages = retriever.retrieve(question, k=args.k or config.top_k, mode=mode)
    corpus = SourceOrigins(config.corpus_dir).corpus_names()
    if args.json:
        print(json.dumps([{**p.to_dict(), "uploaded": p.source not in corpus} for p in passages],
                         ensure_ascii=False, indent=2))  # fmt: skip
        return EXIT_OK
    for rank, passage in enumerate(passages, start=1):
        ranks = f"vector #{passage.vector_rank or '-'} · bm25 #{passage.bm25_rank or '-'}"
        uploaded = " [yellow]\\[uploaded][/yellow]" if passage.source not in corpus else ""
        console.print(f"[bold]{rank}. {escape(passage.source)}[/bold]{uploaded}  score {passage.score:.4f}  ({ranks})")
        where = f"{passage.title} · {passage.section or '—'}"
        console.print(f"   [dim]{escape(where)} · chars {passage.start}-{passage.end}[/dim]")
        console.print(f"   {escape(passage.text)}\n")
    return EXIT_OK


def _earlier_run(explicit: Path | None, out: Path, console: Console):
    """The earlier results to compare with: --against's file (which must be readable), else the last
    run's results.json in the output folder, if there is a usable one. (path, outcomes) or (None, {})."""
    from chat_app.evaluation.comparison import EarlierRunUnreadable, load_earlier

    if explicit is not None:
        try:
            return explicit, load_earlier(explicit)
        except EarlierRunUnreadable as error:
            raise UserError(f"--against {error}") from None
    previous = out / "results.json"
    if not previous.is_file():
        return None, {}
    try:
        return previous, load_earlier(previous)
    except EarlierRunUnreadable as error:
        console.print(f"[yellow]not comparing with the last run:[/yellow] {escape(str(error))}")
        return None, {}


def _eval(args: argparse.Namespace, config: KzqaConfig, console: Console) -> int:
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from chat_app.config import PROJECT_ROOT
    from chat_app.evaluation.comparison import compare
    from chat_app.evaluation.configs import ConfigName
    from chat_app.evaluation.outputs.comparison_table import render_comparison
    from chat_app.evaluation.outputs.files import write_outputs
    from chat_app.evaluation.outputs.retrieval_table import render_retrieval_reports
    from chat_app.evaluation.outputs.summary_table import render_summary
    from chat_app.evaluation.retrieval_eval import evaluate_retrieval, reports_to_dict
    from chat_app.evaluation.runner import run_with_progress
    from chat_app.evaluation.testset import load_testset
    from chat_app.index_settings import index_settings
    from index.hybrid_retriever import HybridRetriever, RetrievalMode

    testset = args.testset or PROJECT_ROOT / "tests" / "data" / "qa.jsonl"
    cases = load_testset(testset)
    # --config names the configurations (or, with --retrieval, the retrieval modes) to compare.
    choices = RetrievalMode if args.retrieval else ConfigName
    try:
        names = [choices.from_str(name) for name in dict.fromkeys(args.configs or [c.value for c in choices])]
    except ValueError as error:
        raise UserError(str(error)) from None

    if args.retrieval and args.against:
        raise UserError("--against compares answers with an earlier run; --retrieval measures retrieval only")
    if not args.retrieval:
        # With --json, stdout carries only the summary; progress and messages go to stderr.
        ui = Console(stderr=True, highlight=False) if args.json else console
        out = args.out or config.data_dir / "eval"
        against, earlier = _earlier_run(args.against, out, ui)  # read before this run overwrites it
        run = run_with_progress(names, config, cases, testset=testset, console=ui)
        changes = compare(run, earlier) if earlier else []
        written = write_outputs(run, out)
        if args.json:
            summary = run.summary()
            if against:
                summary["compared_with"] = {"results": str(against), "changes": [c.to_dict() for c in changes]}
            print(json.dumps(summary, ensure_ascii=False, indent=2))
        else:
            render_summary(run, console)
            if against:
                render_comparison(changes, against, console)
        ui.print(f"report: {written.report}\nresults: {written.results}", soft_wrap=True)  # paths stay copyable
        return EXIT_OK

    retriever = HybridRetriever(index_settings(config))
    with Progress(TextColumn("[bold]evaluating"), BarColumn(), MofNCompleteColumn(), console=console,
                  transient=True) as bar:  # fmt: skip
        task = bar.add_task("eval", total=None)
        reports = evaluate_retrieval(
            retriever, cases, names, progress=lambda done, total: bar.update(task, completed=done, total=total)
        )
    if args.json:
        summary = {r.mode: {"overall": r.overall.__dict__, "by_type": {t: s.__dict__ for t, s in r.by_type.items()}}
                   for r in reports}  # fmt: skip
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        render_retrieval_reports(reports, console)
    if args.out:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "retrieval.json").write_text(
            json.dumps(reports_to_dict(reports), ensure_ascii=False, indent=2), encoding="utf-8"
        )
    return EXIT_OK


def _ask(args: argparse.Namespace, config: KzqaConfig, console: Console) -> int:
    from chat_app.answer_view import render_answer
    from chat_app.assistant import Assistant, QuestionError

    questions = [args.question] if args.question is not None else [line for line in sys.stdin if line.strip()]
    if not questions:
        raise UserError("no question: pass one as an argument, or one per line on standard input")
    bot = Assistant(config, status=lambda message: console.print(f"[dim]{escape(message)}[/dim]"))
    failures = 0
    for question in questions:
        try:
            answer = bot.ask(question, k=args.k, generator=args.generator)
        except QuestionError as error:
            failures += 1
            console.print(f"[red]kzqa: {escape(str(error))} (question: {escape(repr(question.strip()[:60]))})[/red]")
            continue
        if args.json:
            print(json.dumps(answer.to_dict(), ensure_ascii=False))
        else:
            if len(questions) > 1:
                console.rule(escape(question.strip()[:60]))
            render_answer(answer, console)
    return EXIT_PARTIAL if failures else EXIT_OK


def _chat(args: argparse.Namespace, config: KzqaConfig, console: Console) -> int:
    from chat_app.ui.access import COMMAND_LINE_PASSWORD_NOTE, auth_file_warning, parse_credentials
    from chat_app.ui.server import serve

    if args.auth:
        print(f"kzqa: {COMMAND_LINE_PASSWORD_NOTE}", file=sys.stderr)
    if args.auth_file and (warning := auth_file_warning(args.auth_file)):
        print(f"kzqa: {warning}", file=sys.stderr)
    if args.shared_library:
        config = config.with_overrides(shared_library=True)
    if config.shared_library:
        console.print(
            "shared library: every document added in the page is visible to, searchable by and removable by "
            "everyone using this server",
            markup=False,
        )
    credentials = parse_credentials(args.auth or config.auth, args.auth_file)
    serve(
        config, host=args.host, port=args.port, credentials=credentials,
        say=lambda message: console.print(message, markup=False),
    )  # fmt: skip
    return EXIT_OK


def _passages(value: str) -> int:
    """-k: a whole number of passages from 1 to 50, or argparse's usage error naming the value."""
    try:
        k = int(value)
    except ValueError:
        k = 0
    if not 1 <= k <= MAX_PASSAGES:
        raise argparse.ArgumentTypeError(f"must be a whole number of passages from 1 to {MAX_PASSAGES}, not {value!r}")
    return k


def _question(text: str) -> str:
    question = " ".join(text.split())
    if not question:
        raise UserError('the question is empty; ask something, e.g. kzqa retrieve "俄哈边境线有多长？"')
    return question


COMMANDS: dict[str, Callable[[argparse.Namespace, KzqaConfig, Console], int]] = {
    "ingest": _ingest,
    "index": _index,
    "retrieve": _retrieve,
    "eval": _eval,
    "ask": _ask,
    "chat": _chat,
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

    index = commands.add_parser("index", help="embed new chunks into the vector and keyword stores")
    index.add_argument("--corpus", type=Path, help="folder of articles (default: the project's corpus/)")
    index.add_argument("--rebuild", action="store_true", help="build a fresh index instead of updating")

    retrieve = commands.add_parser("retrieve", help="print the passages retrieved for a question")
    retrieve.add_argument("question", help="the question, in Chinese or English")
    retrieve.add_argument("-k", type=_passages, help="number of passages, 1 to 50 (default: top_k, 5)")
    retrieve.add_argument(
        "--mode", help="hybrid, vector or bm25 (default: the configured retrieval_mode, hybrid unless set)"
    )
    retrieve.add_argument("--json", action="store_true", help="print passages as JSON")

    ask = commands.add_parser("ask", help="answer a question from the articles, with cited sources")
    ask.add_argument("question", nargs="?", help="the question (default: one question per line on stdin)")
    ask.add_argument("-k", type=_passages, help="passages to retrieve, 1 to 50 (default: top_k, 5)")
    ask.add_argument("--generator", help="extractive (default) or llm (needs KZQA_LLM_BASE_URL, KZQA_LLM_MODEL)")
    ask.add_argument("--json", action="store_true", help="print Answer.to_dict() as one JSON line per question")

    chat = commands.add_parser("chat", help="serve the chat UI in the browser (loads the model and index once)")
    chat.add_argument(
        "--host", default="127.0.0.1", help="address to listen on, IPv4 or IPv6 (default: 127.0.0.1: this machine)"
    )
    chat.add_argument("--port", type=int, default=7860, help="port to listen on (default: 7860)")
    chat.add_argument(
        "--auth",
        help="user:password required to use the UI (needed for non-loopback --host). Other users of the machine "
        "can see it in `ps`: prefer the KZQA_AUTH environment variable or --auth-file",
    )
    chat.add_argument("--auth-file", type=Path, help="file of user:password lines, one per user (chmod 600)")
    chat.add_argument(
        "--shared-library",
        action="store_true",
        help="one library of added documents for everyone (default: each document is private to the user, "
        "or without --auth the browser, that added it)",
    )

    evaluate = commands.add_parser(
        "eval", help="answer every test question in each configuration; write report.html and results.json"
    )
    evaluate.add_argument("--testset", type=Path, help="JSON-lines test set (default: tests/data/qa.jsonl)")
    evaluate.add_argument(
        "--out", type=Path, help="folder for report.html, results.json and the plots (default: data_dir/eval)"
    )
    # dest differs from the top-level --config (a kzqa.toml path), which it would otherwise overwrite.
    evaluate.add_argument(
        "--config",
        dest="configs",
        nargs="+",
        metavar="NAME",
        help="configurations to compare: hybrid, vector, bm25, baseline (default: all four)",
    )
    evaluate.add_argument("--json", action="store_true", help="print the summary as JSON (progress goes to stderr)")
    evaluate.add_argument(
        "--against",
        type=Path,
        metavar="RESULTS_JSON",
        help="an earlier run's results.json: pass rates per split, paired question by question, and whether "
        "the difference is beyond chance (default: the last run's results.json in the output folder)",
    )
    evaluate.add_argument(
        "--retrieval",
        action="store_true",
        help="retrieval only: hit@k, MRR, kw@5 per mode (hybrid, vector, bm25); writes retrieval.json with --out",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    from chat_app.config import load_config  # after --help and usage errors, which need none of it

    # Piped output has no terminal width; give tables room instead of rich's 80-column default.
    console = Console(highlight=False, width=None if sys.stdout.isatty() else 160)
    try:
        config = load_config(config_file=args.config, corpus_dir=getattr(args, "corpus", None))
        return COMMANDS[args.command](args, config, console)
    except KzqaError as error:  # its message says what to do; a traceback would only hide it
        print(f"kzqa: error: {error}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        print("kzqa: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":
    sys.exit(main())
