"""Ingest time of one large text file: 1, 2.5, 5 and 10 MB. Target: linear in size.

    .venv/bin/python benchmarks/ingest_large_file.py

A 10 MB file took 111 s before the chunker stopped re-hashing the whole document for every
chunk; this benchmark keeps that from coming back. Results: benchmarks/results/ingest_large_file.{json,md}.
"""

from __future__ import annotations

import json
import platform
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from ingest import ingest_paths  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
SIZES_MB = (1.0, 2.5, 5.0, 10.0)


def write_text_file(path: Path, megabytes: float) -> None:
    with path.open("w", encoding="utf-8") as out:
        out.write("大文件测试\n\n")
        n = 0
        while out.tell() < megabytes * 1024 * 1024:
            n += 1
            topics = (f"哈萨克斯坦与邻国的第{n}次会谈第{i}项议题讨论了能源、交通和粮食合作。" for i in range(n % 7 + 1))
            sentences = "".join(topics)
            out.write(f"第{n}段。{sentences}双方同意继续推进平衡外交。\n\n")


def measure(megabytes: float, folder: Path) -> dict:
    path = folder / f"large_{megabytes}mb.txt"
    write_text_file(path, megabytes)
    started = time.perf_counter()
    report = ingest_paths([path], cache=None)  # timed: parse every time
    seconds = time.perf_counter() - started
    chunks = len(report.documents[0].chunks)
    per_mb = round(seconds / megabytes, 2)
    return {"megabytes": megabytes, "chunks": chunks, "seconds": round(seconds, 2), "s_per_mb": per_mb}


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        rows = [measure(size, Path(folder)) for size in SIZES_MB]
    result = {"machine": f"{platform.machine()}, {platform.python_version()}", "rows": rows}
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "ingest_large_file.json").write_text(json.dumps(result, indent=2), encoding="utf-8")
    lines = [
        "# Ingest time of one large text file",
        "",
        "| size | chunks | seconds | s per MB |",
        "|---|---|---|---|",
        *(f"| {r['megabytes']} MB | {r['chunks']} | {r['seconds']} | {r['s_per_mb']} |" for r in rows),
        "",
    ]
    (RESULTS / "ingest_large_file.md").write_text("\n".join(lines), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
