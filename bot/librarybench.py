"""Library benchmark: how building the index scales with the number of reports.

``python -m bot bench --library [--reports 1000]`` writes that many distinct
reports of realistic size (the real reports of tests/data and seeds/, each copy
made distinct by numbering its paragraphs' first sentence with the copy's own
name) into a temporary seeds directory, then measures, in one run, with the
on-disk cache of each report's analysis (index.cache) and without it (every
report analysed at every load, as before the cache):

* cold build: loading and indexing every report, the cache empty;
* reload after one report changed (``ReportService.reload``);
* start-up to the first answer of ``python -m bot ask`` as a fresh process,
  and that process's peak resident memory;
* that answers are identical: the reloaded service, a fresh process reading the
  cache, and a build without the cache answer the same questions with the same
  JSON.

The issue's targets: cold ≤ 20 s, reload after one change ≤ 1 s, first answer
≤ 1.5 s, memory ≤ 300 MB.  A benchmark, not a test: read the figures.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from index.cache import AnalysisCache

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


QUESTIONS = [json.loads(line)["q"] for line in (ROOT / "tests" / "data" / "eval_questions.jsonl")
             .read_text(encoding="utf-8").splitlines()[:20]]


# python -m bot, reporting its own peak resident memory (VmHWM) on exit: the rusage of a child counts the pages
# it shared with this (large) process between fork and exec.
_MEASURED = ("import atexit, runpy, sys\n"
             "def peak():\n"
             "    status = open('/proc/self/status').read()\n"
             "    sys.stderr.write('peak_kb ' + status.split('VmHWM:')[1].split()[0] + '\\n')\n"
             "atexit.register(peak)\n"
             "sys.argv = ['bot', *sys.argv[1:]]\n"
             "runpy.run_module('bot', run_name='__main__', alter_sys=True)\n")


def ask_process(folder: Path, cache: str, questions: list[str]) -> tuple[float, float, list[str]]:
    """``python -m bot ask --json`` as a fresh process: seconds to its answers, its peak resident memory in MB
    and its JSON lines."""
    env = {**os.environ, "BOT_SEEDS_DIR": str(folder), "BOT_CACHE_DIR": cache}
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _MEASURED, "ask", "--json", *questions], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True, timeout=3600)
    seconds = time.perf_counter() - started
    peaks = [int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("peak_kb ")]
    return seconds, peaks[-1] / 1024 if peaks else float("nan"), done.stdout.splitlines()


def answers(service: ReportService, questions: list[str]) -> list[str]:
    return [json.dumps(service.respond(None, q)[0].to_json(), ensure_ascii=False) for q in questions]


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bot bench --library", description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=1000, help="distinct reports in the library (default 1000)")
    args = parser.parse_args(argv)
    if args.reports < 2:
        parser.error("--reports must be at least 2")
    with tempfile.TemporaryDirectory() as tmp:
        folder, cache = Path(tmp) / "seeds", Path(tmp) / "cache"
        write_library(folder, args.reports)
        started = time.perf_counter()
        service = ReportService(folder, cache=AnalysisCache(cache))
        cold = time.perf_counter() - started
        changed = folder / "report-0000.md"
        changed.write_text(changed.read_text(encoding="utf-8") + "\n\n记者补充：本文有更新。\n", encoding="utf-8")
        reload = service.reload().seconds
        started = time.perf_counter()
        uncached = ReportService(folder, engine=build_engine(folder))
        full = time.perf_counter() - started
        first, memory, _ = ask_process(folder, str(cache), QUESTIONS[:1])
        first_before, memory_before, _ = ask_process(folder, "off", QUESTIONS[:1])
        _, _, from_cache = ask_process(folder, str(cache), QUESTIONS)
        identical = answers(service, QUESTIONS) == answers(uncached, QUESTIONS) == from_cache
        paragraphs = len(service.index.paragraphs)
    print(f"{args.reports} reports, {paragraphs} paragraphs; with the analysis cache (index.cache), "
          "beside every report analysed at every load:")
    print(f"  cold build, cache empty          {cold:7.2f} s   (without the cache: {full:.2f} s; target <= 20 s)")
    print(f"  reload after one report changed  {reload:7.2f} s   (without: {full:.2f} s; target <= 1 s)")
    print(f"  python -m bot ask, first answer  {first:7.2f} s   (without: {first_before:.2f} s; target <= 1.5 s)")
    print(f"  its peak resident memory         {memory:7.0f} MB  (without: {memory_before:.0f} MB; target <= 300 MB)")
    print(f"  answers identical to a build without the cache ({len(QUESTIONS)} questions, reloaded service and "
          f"fresh process): {'yes' if identical else 'NO'}")
    return 0 if identical else 1


if __name__ == "__main__":
    raise SystemExit(main())
