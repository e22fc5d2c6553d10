"""Library benchmark: how building the index scales with the number of reports.

``python -m bot bench --library [--reports 1000]`` writes that many distinct
reports of realistic size (the real reports of tests/data and seeds/, each copy
made distinct by numbering its paragraphs' first sentence with the copy's own
name) into a temporary seeds directory, then measures, in one run:

* cold build: loading and indexing every report (``build_engine``);
* reload after one report changed (today a full rebuild: every report is
  analysed again);
* start-up to the first answer of ``python -m bot ask`` as a fresh process;
* that process's peak resident memory.

The issue's targets (with an on-disk cache of each report's analysis, not built
yet): cold ≤ 20 s, reload after one change ≤ 1 s, first answer ≤ 1.5 s, memory
≤ 300 MB.  A benchmark, not a test: read the figures.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .service import ReportService, build_engine

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [ROOT / "seeds" / "xiaomi-auto-factory-2023-11.md",
           *sorted((ROOT / "tests" / "data" / "reports").glob("*/report.md"))]


def write_library(folder: Path, count: int) -> None:
    """``count`` distinct reports (copies of the real ones, each renamed and marked as its own) and the rules."""
    shutil.copytree(ROOT / "seeds" / "rules", folder / "rules")
    for number in range(count):
        source = SOURCES[number % len(SOURCES)]
        text = source.read_text(encoding="utf-8")
        head, sep, body = text.partition("\n---\n") if text.startswith("---") else ("", "", text)
        marked = "\n\n".join(f"第{number}号报道。{block}" if block.strip() and not block.startswith("#") else block
                             for block in body.split("\n\n"))
        (folder / f"report-{number:04d}.md").write_text(head + sep + marked, encoding="utf-8")


def first_answer_seconds(folder: Path) -> tuple[float, float]:
    """Seconds from starting ``python -m bot ask`` to its answer, and its peak resident memory in MB."""
    env = {**os.environ, "BOT_SEEDS_DIR": str(folder)}
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "bot", "ask", "工厂年产能多少"], cwd=ROOT, env=env, check=True,
                   capture_output=True, timeout=3600)
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot bench --library", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="distinct reports in the library (default 1000)")
    args = parser.parse_args(argv)
    if args.reports < 2:
        parser.error("--reports must be at least 2")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        write_library(folder, args.reports)
        started = time.perf_counter()
        service = ReportService(folder, engine=build_engine(folder))
        cold = time.perf_counter() - started
        changed = folder / "report-0000.md"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n\n记者补充：本文有更新。\n", encoding="utf-8")
        reload = service.reload().seconds
        first, memory = first_answer_seconds(folder)
        paragraphs = len(service.index.paragraphs)
    print(f"{args.reports} reports, {paragraphs} paragraphs; today's full rebuild every time:")
    print(f"  cold build                    {cold:7.2f} s   (target with a cache: <= 20 s)")
    print(f"  reload after one change       {reload:7.2f} s   (target: <= 1 s)")
    print(f"  python -m bot ask, first answer {first:5.2f} s   (target: <= 1.5 s)")
    print(f"  its peak resident memory      {memory:7.0f} MB  (target: <= 300 MB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
