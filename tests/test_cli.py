"""The command line as the checks and the Telegram layer use it: real processes, real output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from index import TIERS

ROOT = Path(__file__).resolve().parent.parent


def run_bot(*args: str, stdin: str = "", env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if not k.startswith(("BOT_", "TELEGRAM_"))}
    environment.update(env or {})
    return subprocess.run([sys.executable, "-m", "bot", *args], input=stdin, capture_output=True, text=True,
                          encoding="utf-8", cwd=ROOT, env=environment, timeout=120)


def test_ask_json_has_the_documented_shape():
    result = run_bot("ask", "--json", "工厂年产能多少？", "特斯拉什么时候降价")
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["question"] for r in lines] == ["工厂年产能多少？", "特斯拉什么时候降价"]
    answered, declined = lines
    assert answered["answered"] is True and 1 <= len(answered["answers"]) <= 3
    for hit in answered["answers"]:
        assert set(hit) == {"doc", "paragraph", "text", "quote", "source", "tier", "score"}
        assert isinstance(hit["paragraph"], int) and hit["tier"] in TIERS
        assert hit["quote"] and hit["quote"][:12] in hit["text"]   # quoted sentences come from the paragraph
    assert f"第{answered['answers'][0]['paragraph']}段" in answered["message"]
    assert declined["answered"] is False and declined["answers"] == []
    assert "没有" in declined["message"]


def test_ask_reads_questions_from_stdin_when_none_are_given():
    result = run_bot("ask", "--json", stdin="售价多少\n\n小米汽车什么时候上市\n")
    assert result.returncode == 0, result.stderr
    assert [json.loads(line)["question"] for line in result.stdout.splitlines()] == ["售价多少", "小米汽车什么时候上市"]


def test_ask_conversation_makes_stdin_one_chat_session():
    together = run_bot("ask", "--json", "--conversation", stdin="小米汽车什么时候上市\n那售价呢\n更多\n")
    apart = run_bot("ask", "--json", stdin="小米汽车什么时候上市\n那售价呢\n更多\n")
    assert together.returncode == apart.returncode == 0, together.stderr + apart.stderr
    first, follow_up, more = [json.loads(line) for line in together.stdout.splitlines()]
    assert first["answered"] and first["short_answer"]
    assert follow_up["answered"] and follow_up["answers"][0]["paragraph"] == 18     # the price, in paragraph 18
    assert any("30万元" in line["text"] for line in follow_up["short_answer"])
    assert more["answered"] and not {a["paragraph"] for a in more["answers"]} & \
        {a["paragraph"] for a in follow_up["answers"]}                             # the next results
    alone = [json.loads(line) for line in apart.stdout.splitlines()]
    assert not alone[2]["answered"]                                                 # 更多 of nothing


def test_paragraphs_json_lists_every_paragraph_with_claims():
    result = run_bot("paragraphs", "--json")
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["paragraph"] for r in rows] == list(range(1, 29))
    assert rows[0]["text"].startswith("“里面应该已经开始生产了")
    for row in rows:
        assert row["claims"], row
        assert "".join(c["text"] for c in row["claims"]).replace(" ", "") == row["text"].replace(" ", "")
        assert all(c["tier"] in TIERS and c["source"] for c in row["claims"])


def test_chat_keeps_the_session_across_lines():
    result = run_bot("chat", stdin="你好\n小米汽车什么时候上市\n更多\n")
    assert result.returncode == 0, result.stderr
    replies = result.stdout.split("\n\n")
    assert "试试问" in result.stdout                  # the greeting gets the help text
    assert "第" in result.stdout and "段" in result.stdout
    assert len(replies) >= 3


@pytest.mark.parametrize("env, needle", [
    ({"BOT_SEEDS_DIR": "/nonexistent/seeds"}, "/nonexistent/seeds"),
])
def test_broken_seeds_is_one_line_and_exit_2(env, needle):
    result = run_bot("ask", "售价", env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and needle in result.stderr
    assert "Traceback" not in result.stderr


def test_bad_seed_file_is_named(tmp_path):
    (tmp_path / "broken.md").write_bytes(b"\xff\xfe not utf-8")
    result = run_bot("ask", "售价", env={"BOT_SEEDS_DIR": str(tmp_path)})
    assert result.returncode == 2
    assert "broken.md" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("env, needle", [
    ({}, "TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": "not-a-token"}, "TELEGRAM_BOT_TOKEN"),
    ({"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "BOT_ADMIN_IDS": "12,abc"}, "BOT_ADMIN_IDS"),
    ({"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "BOT_RATE_LIMIT": "-3"}, "BOT_RATE_LIMIT"),
    ({"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "BOT_LIBRARY_DIR": "README.md"}, "BOT_LIBRARY_DIR"),
    ({"TELEGRAM_BOT_TOKEN": "123456:" + "A" * 35, "BOT_LIBRARY_DIR": "seeds"}, "BOT_LIBRARY_DIR"),
])
def test_run_with_bad_configuration_is_one_line_and_exit_2(env, needle):
    result = run_bot("run", env=env)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and needle in result.stderr
    assert "Traceback" not in result.stderr


def test_eval_tiers_scores_only_the_reports_named() -> None:
    """A final part is scored apart from the next one, which stays unseen: --only limits --tiers to those reports."""
    import io

    from bot.evaluate import main as eval_main
    out = io.StringIO()
    assert eval_main(["--tiers", "--only", "takeaway-help-order-2020", "--only", "rfi-li-keqiang-foreign-trade-2020"],
                     out) == 0
    lines = out.getvalue().splitlines()
    assert [line.split(":")[0] for line in lines[:-1]] == ["rfi-li-keqiang-foreign-trade-2020",
                                                             "takeaway-help-order-2020"]
    assert lines[-1].startswith("dev reports: tier accuracy ") and "/29 = " in lines[-1]    # 16 + 13 gold sentences
