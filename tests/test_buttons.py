"""Callback data: short ASCII under Telegram's 64 bytes, and valid only for the chat and secret it was signed with."""

from __future__ import annotations

import pytest

from bot.buttons import MAX_CALLBACK_BYTES, Button, ButtonSigner, doc_hash

SECRET = bytes(range(32))
CHAT = -1001234567890


@pytest.fixture
def signer() -> ButtonSigner:
    return ButtonSigner(SECRET)


def test_every_kind_round_trips_as_short_ascii(signer: ButtonSigner) -> None:
    long_id = "一篇很长很长的中文文档标识" * 5
    cases = {
        signer.more(10**17, CHAT): Button("more", 10**17),
        signer.source(long_id, 999, CHAT): Button("source", 999, doc_hash(long_id)),
        signer.vote(123, True, CHAT): Button("vote", 123, "u"),
        signer.vote(123, False, CHAT): Button("vote", 123, "d"),
        signer.example(2, CHAT): Button("example", 2),
    }
    for data, button in cases.items():
        assert data.isascii() and len(data.encode()) <= MAX_CALLBACK_BYTES
        assert signer.decode(data, CHAT) == button


def test_a_button_is_refused_in_another_chat(signer: ButtonSigner) -> None:
    data = signer.more(277, CHAT)
    assert signer.decode(data, CHAT + 1) is None
    assert signer.decode(data, 42) is None
    assert signer.decode(data, None) is None


def test_a_button_signed_with_another_secret_is_refused(signer: ButtonSigner) -> None:
    assert signer.decode(ButtonSigner(b"x" * 32).more(277, CHAT), CHAT) is None


@pytest.mark.parametrize("change", [
    lambda d: d.replace("m:277:", "m:278:"),        # another query id, same signature
    lambda d: d.replace("m:", "v:").replace("::", ":u:"),   # another action
    lambda d: d[:-1] + ("A" if d[-1] != "A" else "B"),       # a flipped signature character
    lambda d: d[:-2],                                        # a truncated signature
])
def test_any_change_to_signed_data_is_refused(signer: ButtonSigner, change) -> None:
    data = signer.more(277, CHAT)
    forged = change(data)
    assert forged != data
    assert signer.decode(forged, CHAT) is None


@pytest.mark.parametrize("junk", [
    "", None, "m:", "m:abc:zzzz", "s:<x>:-1", "v:1:0000:x", "m:277:73d4", "v:12:73d4:u", "x:1", "legacy-button",
    "m:1::" + "A" * 12 + "\n", "x" * 64, "m:١٢::" + "A" * 12,
])
def test_garbage_and_old_format_data_are_refused(signer: ButtonSigner, junk: str | None) -> None:
    assert signer.decode(junk, CHAT) is None


def test_a_short_secret_is_rejected() -> None:
    with pytest.raises(ValueError):
        ButtonSigner(b"short")
