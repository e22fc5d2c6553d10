"""The report library (bot.library) and its Telegram commands (bot.library_handlers), offline.

The user's own report (tests/data/original/000_3cba2885773c93fc.txt, exactly as given) is uploaded as a
document, previewed, saved, asked about, listed and removed; a non-admin upload, a broken file and a duplicate
change nothing.
"""

from __future__ import annotations

import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.library import MAX_UPLOAD_BYTES, Library, LibraryError
from bot.service import ReportService
from bot.storage import Store
from index import CorpusError
from tests.conftest import ADMIN_ID, ROOT, Harness, buttons, make_config, plain, running

ORIGINAL = ROOT / "tests" / "data" / "original" / "000_3cba2885773c93fc.txt"
OTHER = ROOT / "tests" / "data" / "reports" / "lanzhou-taxi-fare-rumor-2010" / "report.md"
USER = 5151


@pytest.fixture
def dirs(tmp_path: Path) -> tuple[Path, Path]:
    seeds, library = tmp_path / "seeds", tmp_path / "library"
    seeds.mkdir()
    shutil.copytree(ROOT / "seeds" / "rules", seeds / "rules")
    shutil.copy(OTHER, seeds / "lanzhou.md")
    return seeds, library


def test_the_users_own_txt_previews_with_its_title_date_paragraphs_and_tiers(dirs) -> None:
    library = Library(*dirs)
    preview = library.preview(ORIGINAL.name, ORIGINAL.read_bytes(), [])
    assert "小米汽车" in preview.title and preview.paragraphs >= 20
    assert preview.first_paragraph.startswith("“里面应该已经开始生产了")
    assert preview.tiers.get("anonymous", 0) > 0 and preview.tiers.get("official", 0) > 0
    assert preview.name.endswith(".txt")


def test_problems_are_named_no_date_and_duplicate(dirs) -> None:
    library = Library(*dirs)
    undated = "# 一篇没有日期的报道\n\n记者看到，工厂门口停着许多货车。\n\n据了解，工厂明年投产。\n".encode()
    assert any("没有日期" in p for p in library.preview("x.md", undated, []).problems)
    loaded = ReportService(dirs[0]).index.documents
    duplicate = library.preview("again.md", OTHER.read_bytes(), list(loaded))
    assert any("重复" in p for p in duplicate.problems)


@pytest.mark.parametrize("name, data, error", [
    ("big.txt", b"x" * (MAX_UPLOAD_BYTES + 1), LibraryError),
    ("report.pdf", "# 标题\n\n正文。".encode(), LibraryError),
    ("binary.txt", b"\x00\x01\x02garbage", CorpusError),
    ("empty.md", b"   \n", CorpusError),
])
def test_a_broken_upload_is_refused_before_anything_is_stored(dirs, name, data, error) -> None:
    library = Library(*dirs)
    with pytest.raises(error):
        library.preview(name, data, [])
    assert not dirs[1].exists() or not any(dirs[1].iterdir())


def test_saved_reports_are_served_listed_and_removed_bundled_ones_hidden(dirs) -> None:
    library = Library(*dirs)
    preview = library.preview(ORIGINAL.name, ORIGINAL.read_bytes(), [])
    library.save(preview.name, ORIGINAL.read_bytes(), ADMIN_ID)
    service = ReportService(dirs[0], library=library)
    assert len(service.index.documents) == 2
    [added] = [e for e in library.entries() if not e.bundled]
    assert added.added_by == ADMIN_ID and added.added_at
    answer, _ = service.respond(None, "小米汽车工厂年产能多少")
    assert answer.answered and answer.items[0].document_id == added.doc_id
    library.remove("lanzhou")                          # bundled: hidden, the file stays
    assert (dirs[0] / "lanzhou.md").exists()
    assert [e.doc_id for e in library.entries()] == [added.doc_id]
    library.remove(added.doc_id)                       # added: deleted
    assert not added.path.exists()
    with pytest.raises(LibraryError):
        library.remove("nothing-like-this")


# --- from Telegram ---------------------------------------------------------------------------------------

@pytest.fixture
async def library_bot(tmp_path: Path, dirs) -> AsyncIterator[Harness]:
    seeds, library_dir = dirs
    service = ReportService(seeds, library=Library(seeds, library_dir))
    config = make_config(tmp_path, seeds_dir=seeds, library_dir=library_dir)
    async with Store(tmp_path / "bot.sqlite3") as store, running(config, service, store) as h:
        yield h


async def send_document(h: Harness, user_id: int, name: str, data: bytes) -> dict[str, Any]:
    file_id = f"file-{len(h.request.files)}"
    h.request.files[file_id] = data
    message = h.message(h.private_chat(user_id), user_id, "")
    del message["text"]
    message["document"] = {"file_id": file_id, "file_unique_id": file_id, "file_name": name,
                           "file_size": len(data)}
    await h.process({"update_id": 90_000 + len(h.request.files), "message": message})
    return message


async def test_an_admin_adds_the_users_txt_asks_about_it_lists_and_removes_it(library_bot: Harness) -> None:
    h = library_bot
    admin_chat = h.private_chat(ADMIN_ID)
    await send_document(h, ADMIN_ID, ORIGINAL.name, ORIGINAL.read_bytes())
    preview = h.request.sent()[-1]
    assert "报道预览" in plain(preview) and "小米汽车" in plain(preview)
    keep = next(b["callback_data"] for b in buttons(preview) if b["text"] == "保存")
    await h.press(h.bot_message(preview), keep, ADMIN_ID)
    assert len(h.service.index.documents) == 2
    await h.say(admin_chat, ADMIN_ID, "小米汽车工厂年产能多少")
    assert "15万辆" in plain(h.request.sent()[-1])
    await h.say(admin_chat, ADMIN_ID, "/reports")
    listing = plain(h.request.sent()[-1])
    assert "内置" in listing and f"由 {ADMIN_ID}" in listing
    await h.say(admin_chat, ADMIN_ID, "/remove 2")
    confirm = h.request.sent()[-1]
    await h.press(h.bot_message(confirm), buttons(confirm)[0]["callback_data"], ADMIN_ID)
    assert len(h.service.index.documents) == 1
    actions = [(a["command"], a["allowed"]) for a in await h.store.admin_actions()]
    assert ("add", 1) in actions and ("remove", 1) in actions


async def test_someone_elses_upload_is_refused_logged_and_stores_nothing(library_bot: Harness) -> None:
    h = library_bot
    await send_document(h, USER, ORIGINAL.name, ORIGINAL.read_bytes())
    assert "只有管理员" in plain(h.request.sent()[-1])
    assert not h.request.of("getFile")                                # not even downloaded
    assert len(h.service.index.documents) == 1
    assert [(a["command"], a["allowed"]) for a in await h.store.admin_actions()] == [("add", 0)]


async def test_a_broken_file_and_a_cancelled_upload_change_nothing(library_bot: Harness, dirs) -> None:
    h = library_bot
    await send_document(h, ADMIN_ID, "broken.txt", b"\x00\xff\x00binary")
    assert "不能添加" in plain(h.request.sent()[-1])
    await send_document(h, ADMIN_ID, ORIGINAL.name, ORIGINAL.read_bytes())
    preview = h.request.sent()[-1]
    cancel = next(b["callback_data"] for b in buttons(preview) if b["text"] == "取消")
    await h.press(h.bot_message(preview), cancel, ADMIN_ID)
    keep = next(b["callback_data"] for b in buttons(preview) if b["text"] == "保存")
    query = await h.press(h.bot_message(preview), keep, ADMIN_ID)       # too late: it was cancelled
    assert "已处理" in h.callback_answer(query)["text"]
    assert len(h.service.index.documents) == 1
    assert not dirs[1].exists() or not [p for p in dirs[1].iterdir() if p.suffix in (".md", ".txt")]


def test_plain_text_gives_its_outlet_author_and_date_lines(dirs, tmp_path: Path) -> None:
    library = Library(*dirs)
    preview = library.preview(ORIGINAL.name, ORIGINAL.read_bytes(), [])
    assert preview.publisher == "每日经济新闻"                    # the footer, as the user's page ends
    page = ("青山水库加固工程开工\n\n2024-05-10 09:30 来源：临江日报\n\n记者 王明\n\n"
            "5月9日，青山水库加固工程正式开工，预计明年底完工。\n\n责任编辑：李芳\n").encode("gb18030")
    dated = library.preview("page.txt", page, [])
    assert (dated.title, dated.published, dated.publisher) == ("青山水库加固工程开工", "2024-05-10", "临江日报")
    assert dated.paragraphs == 1 and dated.first_paragraph.startswith("5月9日")
    assert not any("没有日期" in p for p in dated.problems)


async def test_the_date_can_be_given_as_the_files_caption_or_after_add(library_bot: Harness) -> None:
    h = library_bot
    undated = "青山水库加固工程开工\n\n5月9日，青山水库加固工程正式开工，预计明年底完工。\n".encode("gb18030")
    await send_document(h, ADMIN_ID, "page.txt", undated)
    assert "没有日期" in plain(h.request.sent()[-1])
    h.request.files["dated"] = undated
    message = h.message(h.private_chat(ADMIN_ID), ADMIN_ID, "")
    del message["text"]
    message.update(caption="2024年5月10日", document={"file_id": "dated", "file_unique_id": "dated",
                                                     "file_name": "page.txt", "file_size": len(undated)})
    await h.process({"update_id": 95_000, "message": message})
    preview = plain(h.request.sent()[-1])
    assert "日期：2024-05-10" in preview and "没有日期" not in preview
    await h.say(h.private_chat(ADMIN_ID), ADMIN_ID, "/add 2024-05-10\n青山水库加固工程开工\n\n5月9日，工程正式开工。")
    assert "日期：2024-05-10" in plain(h.request.sent()[-1])
