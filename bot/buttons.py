"""Callback data of inline buttons: short ASCII, bound to the chat it was sent to, signed.

Telegram lets a client send any callback data with a press (Bot API, CallbackQuery:
"Be aware that the message originated the query can contain no callback buttons
with this data"), so nothing in it is trusted.  Each button reads::

    <kind>:<ref>:<arg>:<signature>      e.g.  m:277::Jq3X0bT1aJvC

kind   m (更多), s (原文), v (vote), x (example question), k (保存 an upload), c (取消 an upload),
       r (remove a report, confirmed)
ref    a stored query id, a paragraph number, an example number or an upload id (0 for a removal)
arg    a document hash (原文, remove) or u/d (vote), else empty
signature  HMAC-SHA256(secret, "kind:ref:arg@chat_id"), first 9 bytes, base64url (12 characters)

The secret is created once and kept in the bot's database (bot.storage), so a
button from before a database reset, from before this format, or copied into
another chat does not verify and the user is told the button expired.  72 bits
of signature make guessing hopeless at Telegram's rate limits.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import zlib
from collections.abc import Iterable
from dataclasses import dataclass

KINDS = {"m": "more", "s": "source", "v": "vote", "x": "example", "k": "keep", "c": "cancel", "r": "remove"}
CODES = {kind: code for code, kind in KINDS.items()}
SIGNATURE_BYTES = 9
MAX_CALLBACK_BYTES = 64          # Telegram's limit on callback_data

_DATA = re.compile(r"([msvxkcr]):([0-9]{1,18}):([0-9a-z]{0,8}):([A-Za-z0-9_-]{12})")


@dataclass(frozen=True)
class Button:
    """What a press asks for: ``kind`` more|source|vote|example, ``ref`` its number, ``arg`` its detail."""
    kind: str
    ref: int
    arg: str = ""


def doc_hash(doc_id: str) -> str:
    """Eight hex digits naming a document in callback data (document ids can be long or non-ASCII)."""
    return f"{zlib.crc32(doc_id.encode('utf-8')):08x}"


def find_document(documents: Iterable[object], hashed: str) -> str | None:
    for document in documents:
        if doc_hash(document.doc_id) == hashed:  # type: ignore[attr-defined]
            return document.doc_id  # type: ignore[attr-defined]
    return None


class ButtonSigner:
    """Encodes buttons for one chat and decodes a press, given the chat the pressed message is in."""

    def __init__(self, secret: bytes) -> None:
        if len(secret) < 16:
            raise ValueError("the button secret must be at least 16 bytes")
        self._secret = secret

    def _signature(self, payload: str, chat_id: int) -> str:
        digest = hmac.new(self._secret, f"{payload}@{chat_id}".encode(), hashlib.sha256).digest()
        return base64.urlsafe_b64encode(digest[:SIGNATURE_BYTES]).decode("ascii")

    def encode(self, button: Button, chat_id: int) -> str:
        payload = f"{CODES[button.kind]}:{button.ref}:{button.arg}"
        data = f"{payload}:{self._signature(payload, chat_id)}"
        assert len(data.encode()) <= MAX_CALLBACK_BYTES, data
        return data

    def decode(self, data: str | None, chat_id: int | None) -> Button | None:
        """The button if ``data`` was signed by us for ``chat_id``; None for anything else."""
        match = _DATA.fullmatch(data or "")
        if match is None or chat_id is None:
            return None
        code, ref, arg, signature = match.groups()
        expected = self._signature(f"{code}:{ref}:{arg}", chat_id)
        if not hmac.compare_digest(signature, expected):
            return None
        return Button(KINDS[code], int(ref), arg)

    # -- the buttons the bot sends ---------------------------------------
    def more(self, query_id: int, chat_id: int) -> str:
        return self.encode(Button("more", query_id), chat_id)

    def vote(self, query_id: int, up: bool, chat_id: int) -> str:
        return self.encode(Button("vote", query_id, "u" if up else "d"), chat_id)

    def source(self, doc_id: str, paragraph: int, chat_id: int) -> str:
        return self.encode(Button("source", paragraph, doc_hash(doc_id)), chat_id)

    def example(self, number: int, chat_id: int) -> str:
        return self.encode(Button("example", number), chat_id)

    def keep(self, upload_id: int, chat_id: int) -> str:
        return self.encode(Button("keep", upload_id), chat_id)

    def cancel(self, upload_id: int, chat_id: int) -> str:
        return self.encode(Button("cancel", upload_id), chat_id)

    def remove(self, doc_id: str, chat_id: int) -> str:
        return self.encode(Button("remove", 0, doc_hash(doc_id)), chat_id)
