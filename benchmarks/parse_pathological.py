"""Reading time of pathological HTML and Markdown at 100 KB, 1 MB and 2 MB. Target: linear in size.

    .venv/bin/python benchmarks/parse_pathological.py [--before REV]

Each file is written to disk and read whole by `ingest_file` (decode, detect, parse, clean,
chunk) with no time limit, so a quadratic step shows as seconds per MB that grow with size.
Times are CPU seconds of this process (time.process_time): on a shared machine wall time
mostly measures the other processes.
The shapes: deep nesting, tags or markers never closed, one giant line, 10^5 tiny paragraphs,
plus the issue's own case, 200 KB of unclosed `<div>哈` (325 s in the issue, before the fix).

`--before REV` also times that 200 KB case with the `ingest/` package of git revision REV (in
a subprocess, up to 30 minutes), for the before/after line of the report.
Results: benchmarks/results/parse_pathological.{json,md}.
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import ParseBudget, ingest_file  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
KB = 1024
MB = 1024 * KB
SIZES = (100 * KB, 1 * MB, 2 * MB)
REPEATS = 2  # best of two: the machine is shared
NO_LIMIT = ParseBudget(max_bytes=64 * MB, max_seconds=float("inf"))
ISSUE_CASE_REPEATS = 25600  # '<html><body>' + '<div>哈' * 25600: 200 KB


def _repeat(unit: str | Callable[[int], str], size: int, *, head: str = "", tail: str = "") -> str:
    """`head` + units until `size` UTF-8 bytes + `tail`; a callable unit gets its index."""
    parts, used, index = [head], len(head.encode()) + len(tail.encode()), 0
    while used < size:
        piece = unit(index) if callable(unit) else unit
        parts.append(piece)
        used += len(piece.encode())
        index += 1
    parts.append(tail)
    return "".join(parts)


def html_deep_nesting(size: int) -> str:
    depth = size // len("<div><span>哈萨克斯坦的外交。</span></div>".encode())
    return "<html><body>" + "<div><span>哈萨克斯坦的外交。" * depth + "</span></div>" * depth + "</body></html>"


def html_no_closing_tags(size: int) -> str:
    return _repeat("<p>哈萨克斯坦的外交<span class=x>平衡<i>政策，<li>中俄关系。<div>", size, head="<html><body>")


def html_giant_line(size: int) -> str:
    unit = "哈萨克斯坦的外交政策，<b>平衡</b>与<a href='x'>合作</a>&amp;"
    return _repeat(unit, size, head="<html><body><p>", tail="</p></body></html>")


def html_tiny_paragraphs(size: int) -> str:
    return _repeat("<p>哈。</p>\n", size, head="<html><body>\n", tail="</body></html>")


def html_unterminated_markup(size: int) -> str:
    """What made the standard library's HTMLParser rescan the input: comments and tags never ended.
    The page's text now ends at the first unclosed comment, as in a browser."""
    return _repeat("哈萨克斯坦<!-- x >外交<a 政策 ", size, head="<html><body><p>")


def html_issue_case(_size: int) -> str:
    return "<html><body>" + "<div>哈" * ISSUE_CASE_REPEATS


def markdown_deep_nesting(size: int) -> str:
    """Lists nested up to 300 deep, each item a link around bold around emphasis."""
    return _repeat(lambda i: "  " * (i % 300) + "- [**哈萨克斯坦*的外交*政策**](u)\n", size, head="# 标题\n\n")


def markdown_no_closing_tags(size: int) -> str:
    return _repeat("哈萨克斯坦 **平衡 *外交 [政策 ![图 `代码 (链接\n", size, head="# 标题\n\n")


def markdown_giant_line(size: int) -> str:
    return _repeat("(*哈萨克斯坦 [外交](政策 **平衡 ", size, head="# 标题\n\n")


def markdown_giant_heading(size: int) -> str:
    """A heading line of spaces between two words: a 6 KB one never finished before the fix."""
    return "# 标题\n\n正文。\n\n# 哈" + " " * (size - 30) + "萨\n"


def markdown_tiny_paragraphs(size: int) -> str:
    return _repeat("哈。\n\n", size, head="# 标题\n\n")


SHAPES: dict[str, tuple[str, Callable[[int], str]]] = {
    "html: deep nesting": (".html", html_deep_nesting),
    "html: no closing tags": (".html", html_no_closing_tags),
    "html: one giant line": (".html", html_giant_line),
    "html: 10^5 tiny paragraphs": (".html", html_tiny_paragraphs),
    "html: unterminated comments and tags": (".html", html_unterminated_markup),
    "markdown: deep nesting": (".md", markdown_deep_nesting),
    "markdown: no closing markers": (".md", markdown_no_closing_tags),
    "markdown: one giant line": (".md", markdown_giant_line),
    "markdown: one giant heading line": (".md", markdown_giant_heading),
    "markdown: 10^5 tiny paragraphs": (".md", markdown_tiny_paragraphs),
}


def measure(path: Path) -> dict:
    best = math.inf
    for _ in range(REPEATS):
        started = time.process_time()
        item = ingest_file(path, budget=NO_LIMIT, cache=None)  # every repeat parses
        best = min(best, time.process_time() - started)
    megabytes = path.stat().st_size / MB
    return {
        "bytes": path.stat().st_size,
        "seconds": round(best, 3),
        "s_per_mb": round(best / megabytes, 3),
        "characters": len(item.document.text),
        "paragraphs": item.document.text.count("\n\n") + 1,
        "chunks": len(item.chunks),
    }


def growth_exponent(rows: list[dict]) -> float:
    """The k in time ∝ size^k, fitted over all sizes in log-log (least squares): 1 is linear, 2 quadratic."""
    points = [(math.log(r["bytes"]), math.log(max(r["seconds"], 1e-4))) for r in rows]
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    slope = sum((x - mean_x) * (y - mean_y) for x, y in points) / sum((x - mean_x) ** 2 for x, _ in points)
    return round(slope, 2)


def issue_case_before(revision: str, folder: Path) -> dict:
    """The 200 KB unclosed-div page read by the parser of `revision`, in a subprocess."""
    old = folder / "before"
    old.mkdir()
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", revision, "ingest"], capture_output=True, check=True)
    subprocess.run(["tar", "-x", "-C", str(old)], input=archive.stdout, check=True)
    script = (
        "import json, time\n"
        "from ingest.parsers.html_article import parse_html_page\n"
        f"html = '<html><body>' + '<div>哈' * {ISSUE_CASE_REPEATS}\n"
        "started = time.process_time()\n"
        "document = parse_html_page(html, source='issue.html')\n"
        "print(json.dumps({'seconds': time.process_time() - started, 'characters': len(document.text)}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=old, env={"PYTHONPATH": str(old)}, capture_output=True, text=True,
        timeout=1800, check=True,
    )  # fmt: skip
    return {"revision": revision, **json.loads(done.stdout)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--before", metavar="REV", help="also time the issue's 200 KB case at this git revision")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as temp:
        folder = Path(temp)
        shapes = []
        for name, (suffix, make) in SHAPES.items():
            rows = []
            for size in SIZES:
                path = folder / f"case{suffix}"
                path.write_text(make(size), encoding="utf-8")
                rows.append(measure(path))
                print(name, rows[-1], flush=True)
            shapes.append({"shape": name, "rows": rows, "growth_exponent": growth_exponent(rows)})
        issue_path = folder / "issue.html"
        issue_path.write_text(html_issue_case(0), encoding="utf-8")
        issue = {"after": measure(issue_path)}
        if args.before:
            issue["before"] = issue_case_before(args.before, folder)
        print("issue case", issue, flush=True)
    machine = f"{platform.machine()}, Python {platform.python_version()}"
    result = {"machine": machine, "shapes": shapes, "issue_case": issue}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "parse_pathological.json").write_text(json.dumps(result, indent=2, ensure_ascii=False), encoding="utf-8")
    (RESULTS / "parse_pathological.md").write_text(render(result), encoding="utf-8")
    print(render(result))


def render(result: dict) -> str:
    lines = [
        "# Reading pathological HTML and Markdown",
        "",
        f"`ingest_file` (decode, detect, parse, clean, chunk), CPU seconds, best of {REPEATS}; {result['machine']}.",
        "Growth exponent k: time ∝ size^k fitted over 100 KB, 1 MB and 2 MB (1 = linear, 2 = quadratic).",
        "",
        "| shape | 100 KB s | 1 MB s | 2 MB s | s per MB (100 KB / 1 MB / 2 MB) | k | paragraphs, chunks at 2 MB |",
        "|---|---|---|---|---|---|---|",
    ]
    for shape in result["shapes"]:
        rows = shape["rows"]
        seconds = " | ".join(f"{r['seconds']:.3f}" for r in rows)
        per_mb = " / ".join(f"{r['s_per_mb']:.2f}" for r in rows)
        size = f"{rows[-1]['paragraphs']:,}, {rows[-1]['chunks']:,}"
        lines.append(f"| {shape['shape']} | {seconds} | {per_mb} | {shape['growth_exponent']} | {size} |")
    issue = result["issue_case"]
    lines += ["", "## The issue's case: `'<html><body>' + '<div>哈' * 25600` (200 KB)", ""]
    if "before" in issue:
        before = issue["before"]
        lines.append(f"- before (`ingest/` at {before['revision'][:10]}): {before['seconds']:.1f} s to parse")
    lines.append(f"- after: {issue['after']['seconds']:.3f} s to read and chunk ({issue['after']['chunks']} chunks)")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
