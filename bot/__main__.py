"""Command line: ``python -m bot {ask,paragraphs,chat,bench,run}``.

The interface the Telegram layer, the checks and people at a terminal share:

    python -m bot ask [--json] [--conversation] QUESTION...
                                             answer each question (one JSON object per line with --json;
                                             --conversation: the questions are one chat session)
    python -m bot paragraphs [--json]        every paragraph with the source and tier of each sentence
    python -m bot chat                       terminal chat over the reports (no token needed)
    python -m bot bench [--load|--library]   search benchmark (or the handler load, or the library build)
    python -m bot eval [--part dev|final]    answer quality on every evaluation set, beside BM25 baselines
    python -m bot run [--webhook-url URL]    the Telegram bot (long polling unless a webhook URL is given)

The seeds directory comes from ``BOT_SEEDS_DIR`` (default ``seeds/``), the
reports' saved analyses from ``BOT_CACHE_DIR`` (default ``data/cache``).  A bad
setting or a broken seeds file prints one line and exits with status 2.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from index import CorpusError
from index.cache import AnalysisCache

from .config import ConfigError, cache_dir, load_config, seeds_dir
from .service import ReportService

EXIT_USAGE = 2


def _service() -> ReportService:
    cache = cache_dir()
    return ReportService(seeds_dir(), cache=AnalysisCache(cache) if cache else None)


def _questions(args: list[str], stdin: TextIO) -> Iterable[str]:
    """The questions on the command line, or one per line of standard input."""
    if args and args != ["-"]:
        yield from args
        return
    for line in stdin:
        if line.strip():
            yield line.rstrip("\n")


def cmd_ask(args: argparse.Namespace, out: TextIO) -> int:
    """Each question on its own, or with --conversation all of them as one chat session (follow-ups, 更多)."""
    service = _service()
    state: dict[str, Any] | None = None
    for question in _questions(args.question, sys.stdin):
        answer, new_state = service.respond(state, question)
        state = new_state if args.conversation else None
        if args.json:
            out.write(json.dumps(answer.to_json(), ensure_ascii=False) + "\n")
        else:
            out.write(f"问：{question}\n{answer.message}\n\n")
        out.flush()
    return 0


def _paragraph_json(paragraph: Any) -> dict[str, Any]:
    return {"doc": paragraph.doc_id, "paragraph": paragraph.number, "section": paragraph.section,
            "text": paragraph.text,
            "claims": [{"text": c.text, "source": c.source, "tier": c.tier} for c in paragraph.claims]}


def cmd_paragraphs(args: argparse.Namespace, out: TextIO) -> int:
    index = _service().index
    labels = index.rules.sources.tier_labels
    for document in index.documents:
        if not args.json:
            out.write(f"《{document.title}》 {document.publisher} {document.published}\n\n")
        for paragraph in document.paragraphs:
            if args.json:
                out.write(json.dumps(_paragraph_json(paragraph), ensure_ascii=False) + "\n")
                continue
            section = f"  〔{paragraph.section}〕" if paragraph.section else ""
            out.write(f"第{paragraph.number}段{section}\n")
            for claim in paragraph.claims:
                out.write(f"  [{labels.get(claim.tier, claim.tier)}：{claim.source}] {claim.text}\n")
            out.write("\n")
    return 0


def cmd_chat(args: argparse.Namespace, out: TextIO) -> int:
    service = _service()
    interactive = sys.stdin.isatty()
    titles = "、".join(f"《{d.title}》" for d in service.index.documents)
    out.write(f"报告问答机器人（终端）。已载入 {titles}。直接输入问题，“更多”看下一批结果，Ctrl-D 退出。\n")
    state: dict[str, Any] = {}
    while True:
        if interactive:
            out.write("> ")
            out.flush()
        line = sys.stdin.readline()
        if not line:
            break
        if not line.strip():
            continue
        answer, state = service.respond(state, line.strip())
        out.write(answer.message + "\n\n")
        out.flush()
    return 0


def cmd_bench(args: argparse.Namespace, out: TextIO) -> int:
    if args.load:
        from .loadbench import main as load_main
        return load_main(args.rest)
    if args.library:
        from .librarybench import main as library_main
        return library_main(args.rest)
    from .bench import main as bench_main
    return bench_main(args.rest)


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from .evaluate import main as eval_main
    return eval_main(args.rest, out)


def cmd_fit(args: argparse.Namespace, out: TextIO) -> int:
    from .fit import main as fit_main
    return fit_main(args.rest, out)


def cmd_run(args: argparse.Namespace, out: TextIO) -> int:
    config = load_config()
    from .app import run
    return run(config, webhook_url=args.webhook_url, port=args.port)


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m bot", description="报告问答机器人")
    sub = p.add_subparsers(dest="command", required=True)
    ask = sub.add_parser("ask", help="answer questions (arguments, or one per line on stdin)")
    ask.add_argument("--json", action="store_true", help="one JSON object per question per line")
    ask.add_argument("--conversation", action="store_true",
                     help="the questions are one chat session: follow-ups (那售价呢) and 更多 continue the previous")
    ask.add_argument("question", nargs="*")
    ask.set_defaults(func=cmd_ask)
    paragraphs = sub.add_parser("paragraphs", help="each paragraph with the source and tier of each sentence")
    paragraphs.add_argument("--json", action="store_true", help="one JSON object per paragraph per line")
    paragraphs.set_defaults(func=cmd_paragraphs)
    sub.add_parser("chat", help="terminal chat over the reports").set_defaults(func=cmd_chat)
    bench = sub.add_parser("bench", help="search benchmark; --load for the Telegram handler load benchmark")
    bench.add_argument("--load", action="store_true", help="200 simulated users through the application")
    bench.add_argument("--library", action="store_true", help="index build with 1,000 reports (--reports N)")
    bench.add_argument("rest", nargs=argparse.REMAINDER, help="options passed to the benchmark")
    bench.set_defaults(func=cmd_bench)
    evaluate = sub.add_parser("eval", help="answer quality on every evaluation set, beside plain BM25 baselines")
    evaluate.add_argument("rest", nargs=argparse.REMAINDER, help="--part dev|final|all, --only NAME, --failures")
    evaluate.set_defaults(func=cmd_eval)
    fit = sub.add_parser("fit", help="fit the answer/decline decision on the development sets")
    fit.add_argument("rest", nargs=argparse.REMAINDER, help="--write to save index/decision.json")
    fit.set_defaults(func=cmd_fit)
    run = sub.add_parser("run", help="run the Telegram bot")
    run.add_argument("--webhook-url", default=None, help="public HTTPS URL for webhook mode (default: long polling)")
    run.add_argument("--port", type=int, default=8443, help="local port for webhook mode")
    run.set_defaults(func=cmd_run)
    return p


def main(argv: list[str] | None = None) -> int:
    for stream in (sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8", errors="replace")
    if hasattr(sys.stdin, "reconfigure"):
        sys.stdin.reconfigure(encoding="utf-8", errors="replace")
    p = parser()
    # The benchmarks take their own options (--paragraphs N, …); everything else is strict.
    args, extra = p.parse_known_args(argv)
    if extra and args.command not in ("bench", "eval", "fit"):
        p.error(f"unrecognized arguments: {' '.join(extra)}")
    if args.command in ("bench", "eval", "fit"):
        args.rest = [a for a in [*extra, *args.rest] if a != "--"]
    try:
        return args.func(args, sys.stdout)
    except (ConfigError, CorpusError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0


if __name__ == "__main__":
    sys.exit(main())
