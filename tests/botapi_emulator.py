"""A small local emulator of the Telegram Bot API for end-to-end tests.

Point python-telegram-bot at it (``Bot(token, base_url=emu.base_url)`` or
``ApplicationBuilder().base_url(emu.base_url)``) and drive the conversation from the
test with the control API: create users and chats, inject updates (``send_text``,
``send_document``, ``edit_text``, ``press_button``, ``inline_query``) and inspect what the bot did
(``sent``, ``calls``, ``wait_for``, ``callback_answers``, ``inline_answers``,
``commands``).

The emulator follows https://core.telegram.org/bots/api for the methods it implements:
real object shapes, UTF-16 entity offsets, HTML parse_mode checking like the server's
parser (byte offsets in error texts), trimming, 4096-character limit, inline keyboard
validation, getUpdates long polling with offset/limit/allowed_updates and 409 conflicts,
and group privacy mode. Faults can be injected per method (``set_fault``): an error
answer (429 with retry_after, 5xx), a stall before answering, or a hold until
``release_held`` (a request in flight when the bot is killed), each decided per
call, so a test can play a flaky or overloaded server. Two deliberate choices: a bare ``&`` that is not an entity is
rejected (the documented rule; the real server lets it through, pass
``strict_html=False`` for that), and webhooks are only stored, never called.
Standard library only; the server runs in a background thread on 127.0.0.1.
"""

from __future__ import annotations

import contextlib
import copy
import json
import re
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, NamedTuple
from urllib.parse import parse_qsl, unquote, urlsplit, urlunsplit

JSONDict = dict[str, Any]

MAX_TEXT_LENGTH = 4096
DEFAULT_EXCLUDED_UPDATES = frozenset({"chat_member", "message_reaction", "message_reaction_count"})
JSON_FIELDS = frozenset(
    {"reply_markup", "entities", "caption_entities", "reply_parameters", "link_preview_options",
     "commands", "scope", "results", "button", "allowed_updates", "media"}
)
CHAT_ACTIONS = frozenset(
    {"typing", "upload_photo", "record_video", "upload_video", "record_voice", "upload_voice",
     "upload_document", "choose_sticker", "find_location", "record_video_note", "upload_video_note"}
)
COMMAND_SCOPES: dict[str, tuple[str, ...]] = {
    "default": (), "all_private_chats": (), "all_group_chats": (), "all_chat_administrators": (),
    "chat": ("chat_id",), "chat_administrators": ("chat_id",), "chat_member": ("chat_id", "user_id"),
}
QUERY_INVALID = "query is too old and response timeout expired or query ID is invalid"
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
ADMIN_RIGHTS: JSONDict = {
    "can_be_edited": False, "is_anonymous": False, "can_manage_chat": True,
    "can_delete_messages": True, "can_manage_video_chats": True, "can_restrict_members": True,
    "can_promote_members": False, "can_change_info": True, "can_invite_users": True,
    "can_post_stories": True, "can_edit_stories": True, "can_delete_stories": True,
    "can_pin_messages": True,
}


class ApiError(Exception):
    """An error answer: HTTP status ``code`` and the Bot API ``description``."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(description)
        self.code = code
        self.description = description


def bad(description: str) -> ApiError:
    return ApiError(400, f"Bad Request: {description}")


class Call(NamedTuple):
    """One request the bot made: canonical method name and its decoded parameters."""

    method: str
    params: JSONDict


class Fault(NamedTuple):
    """What the server does to one request instead of (or before) answering it normally."""

    code: int = 0                # answer this error instead of running the method (0: run it)
    description: str = ""
    retry_after: int | None = None
    stall: float = 0.0           # seconds to wait first (the lock is not held meanwhile)
    hold: bool = False           # wait until release_held(), then answer 502 without running the method
    garbage: bool = False        # answer 200 with a body that is not JSON (a proxy's error page)
    drop: bool = False           # close the connection without answering


FaultRule = Callable[[str, JSONDict], Fault | None]


def flood(retry_after: int = 1) -> Fault:
    return Fault(429, f"Too Many Requests: retry after {retry_after}", retry_after)


def bad_gateway() -> Fault:
    return Fault(502, "Bad Gateway")


class UploadedFile(NamedTuple):
    """A file part of a multipart/form-data request."""

    filename: str
    content_type: str
    data: bytes


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --------------------------------------------------------------------------- text & entities

_HTML_ENTITY = re.compile(r"&(?:#(x[0-9a-fA-F]+|[0-9]+)|([a-zA-Z]+));?")
_NAMED_ENTITIES = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_TAG_TYPES = {
    "b": "bold", "strong": "bold", "i": "italic", "em": "italic", "u": "underline",
    "ins": "underline", "s": "strikethrough", "strike": "strikethrough", "del": "strikethrough",
    "tg-spoiler": "spoiler", "span": "spoiler", "a": "text_link", "code": "code", "pre": "pre",
    "blockquote": "blockquote", "tg-emoji": "custom_emoji",
}
_AUTO_ENTITIES = [  # order matters: earlier kinds win on overlap
    ("url", re.compile(r"\bhttps?://[^\s<>\"]*[^\s<>\".,;:!?)\]'}]")),
    ("bot_command", re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,64}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")),
    ("mention", re.compile(r"(?<![\w@/])@[A-Za-z0-9_]{3,32}(?!\w)")),
    ("hashtag", re.compile(r"(?<![\w#])#\w*[^\W\d_]\w*")),
]
_NO_AUTO_INSIDE = frozenset({"code", "pre", "text_link", "text_mention", "custom_emoji"})


def _decode_entity(text: str, pos: int) -> tuple[str, int] | None:
    """Decode the HTML entity starting at ``text[pos] == '&'`` -> (character, end) or None."""
    m = _HTML_ENTITY.match(text, pos)
    if not m:
        return None
    if m.group(2) is not None:
        char = _NAMED_ENTITIES.get(m.group(2))
        return (char, m.end()) if char else None
    num = m.group(1)
    code = int(num[1:], 16) if num.startswith("x") else int(num)
    if code == 0 or code >= 0x10FFFF or m.end(1) - pos >= 10:
        return None
    if 0xD800 <= code <= 0xDFFF:
        raise bad("can't parse entities: Text contains invalid Unicode characters after decoding "
                  "HTML entities, check for unmatched surrogate code units")
    return chr(code), m.end()


def _normalize_url(url: str) -> str | None:
    """Roughly the server's URL check: None drops the link, http(s) gets a '/' path."""
    url = url.strip()
    if not url:
        return None
    parts = urlsplit(url if "://" in url or url.startswith("tg:") else "http://" + url)
    if parts.scheme in ("http", "https"):
        if "." not in parts.netloc and parts.hostname != "localhost":
            return None
        return urlunsplit(parts._replace(path=parts.path or "/"))
    return url if parts.scheme in ("tg", "ton", "ftp") else None


def parse_html(
    text: str, *, strict: bool = True, users: Mapping[int, JSONDict] | None = None
) -> tuple[str, list[JSONDict]]:
    """Parse Bot API HTML into (plain text, entities with UTF-16 offsets).

    Mirrors the server's parser: tag names are case-insensitive, attribute values may be
    quoted or bare, empty entities are dropped, errors carry UTF-8 byte offsets.
    """
    out: list[str] = []
    offset = 0  # UTF-16 offset in the output
    stack: list[tuple[str, str | None, int, int]] = []  # (tag, argument, utf16 start, len(out))
    entities: list[JSONDict] = []
    n, i = len(text), 0

    def err(message: str, pos: int | None = None) -> ApiError:
        where = "" if pos is None else f" at byte offset {len(text[:pos].encode())}"
        return bad(f"can't parse entities: {message}{where}")

    def decode_value(value: str, pos: int) -> str:
        chars, j = [], 0
        while j < len(value):
            if value[j] == "&" and (dec := _decode_entity(value, j)):
                chars.append(dec[0])
                j = dec[1]
                continue
            if value[j] == "&" and strict:
                raise err('Unsupported HTML entity or unescaped "&" in an attribute value', pos)
            chars.append(value[j])
            j += 1
        return "".join(chars)

    while i < n:
        c = text[i]
        if c == "&":
            dec = _decode_entity(text, i)
            if dec:
                out.append(dec[0])
                offset += utf16_len(dec[0])
                i = dec[1]
                continue
            if strict:
                raise err('Unsupported HTML entity or unescaped "&" (use "&amp;")', i)
        if c != "<":
            out.append(c)
            offset += utf16_len(c)
            i += 1
            continue
        begin = i
        i += 1
        if i < n and text[i] == "/":  # end tag
            if not stack:
                raise err("Unexpected end tag", begin)
            m = re.compile(r"/([^\s>]*)\s*(>?)").match(text, i)
            assert m is not None
            if not m.group(2):
                raise err("Unclosed end tag", begin)
            i = m.end()
            tag, argument, start, out_start = stack.pop()
            if m.group(1) and m.group(1).lower() != tag:
                raise err(f'Unmatched end tag at byte offset {len(text[:begin].encode())}, '
                          f'expected "</{tag}>", found "</{m.group(1)}>"')
            if offset > start:
                entity = _make_entity(tag, argument, start, offset - start, "".join(out[out_start:]),
                                      entities, users or {})
                if entity:
                    entities.append(entity)
            continue
        m = re.compile(r"[^\s>]*").match(text, i)
        assert m is not None
        tag, i = m.group(0).lower(), m.end()
        if i >= n:
            raise err("Unclosed start tag", begin)
        if tag not in _TAG_TYPES:
            raise err(f'Unsupported start tag "{tag}"', begin)
        argument: str | None = None
        while True:
            while i < n and text[i].isspace():
                i += 1
            if i >= n:
                raise err("Unclosed start tag", begin)
            if text[i] == ">":
                i += 1
                break
            m = re.compile(r"[^\s=>]+").match(text, i)
            if not m:
                raise err(f'Empty attribute name in the tag "{tag}"', begin)
            name, i = m.group(0).lower(), m.end()
            while i < n and text[i].isspace():
                i += 1
            if i < n and text[i] != "=" and tag == "blockquote" and name == "expandable":
                argument = "expandable"
                continue
            if i >= n or text[i] != "=":
                raise err(f'Expected equal sign in declaration of an attribute of the tag "{tag}"', begin)
            i += 1
            while i < n and text[i].isspace():
                i += 1
            if i < n and text[i] in "'\"":
                end = text.find(text[i], i + 1)
                if end < 0:
                    raise err("Unclosed start tag", begin)
                value, i = decode_value(text[i + 1:end], begin), end + 1
            else:
                m = re.compile(r"[A-Za-z0-9.\-]*").match(text, i)
                assert m is not None
                value, i = m.group(0).lower(), m.end()
                if i >= n or not (text[i].isspace() or text[i] == ">"):
                    raise err("Unexpected end of name token", i)
            if (tag, name) in (("a", "href"), ("span", "class"), ("tg-emoji", "emoji-id")):
                argument = value
            elif tag == "code" and name == "class" and value.startswith("language-"):
                argument = value[len("language-"):]
        if tag == "span" and argument != "tg-spoiler":
            raise err('Tag "span" must have class "tg-spoiler"', begin)
        if tag == "tg-emoji" and not (argument or "").isdigit():
            raise err("Invalid custom emoji identifier specified", begin)
        stack.append((tag, argument, offset, len(out)))
    if stack:
        raise err(f'Can\'t find end tag corresponding to start tag "{stack[-1][0]}"')
    for entity in entities:  # a language only survives on <pre><code class="language-…">
        if entity["type"] == "code":
            entity.pop("language", None)
    entities.sort(key=lambda e: (e["offset"], -e["length"]))
    return "".join(out), entities


def _make_entity(tag: str, argument: str | None, offset: int, length: int, inner: str,
                 entities: list[JSONDict], users: Mapping[int, JSONDict]) -> JSONDict | None:
    entity: JSONDict = {"offset": offset, "length": length, "type": _TAG_TYPES[tag]}
    if tag == "a":
        url = argument if argument is not None else inner
        user_link = re.fullmatch(r"tg://user\?id=(\d+)", url.strip())
        if user_link:
            user = users.get(int(user_link.group(1)))
            return {**entity, "type": "text_mention", "user": dict(user)} if user else None
        normalized = _normalize_url(url)
        return {**entity, "url": normalized} if normalized else None
    if tag == "pre" and entities and entities[-1]["type"] == "code" and entities[-1].get("language") \
            and (entities[-1]["offset"], entities[-1]["length"]) == (offset, length):
        language = entities.pop()["language"]
        return {**entity, "language": language}
    if tag == "code" and argument:  # the language only survives inside <pre>
        return {**entity, "language": argument}
    if tag == "blockquote" and argument == "expandable":
        entity["type"] = "expandable_blockquote"
    if tag == "tg-emoji":
        entity["custom_emoji_id"] = argument
    return entity


def find_auto_entities(text: str, existing: Iterable[JSONDict] = ()) -> list[JSONDict]:
    """Entities Telegram detects by itself: url, bot_command, mention, hashtag."""
    taken = [(e["offset"], e["offset"] + e["length"]) for e in existing if e["type"] in _NO_AUTO_INSIDE]
    found: list[JSONDict] = []
    for kind, pattern in _AUTO_ENTITIES:
        for m in pattern.finditer(text):
            start, length = utf16_len(text[:m.start()]), utf16_len(m.group(0))
            if all(start + length <= a or start >= b for a, b in taken):
                taken.append((start, start + length))
                found.append({"offset": start, "length": length, "type": kind})
    return found


def _trim(text: str, entities: list[JSONDict]) -> tuple[str, list[JSONDict]]:
    """The server strips leading/trailing whitespace; entities are shifted and clipped."""
    shift = utf16_len(text[: len(text) - len(text.lstrip())])
    text = text.strip()
    end, result = utf16_len(text), []
    for e in entities:
        start, stop = max(e["offset"] - shift, 0), min(e["offset"] + e["length"] - shift, end)
        if stop > start:
            result.append({**e, "offset": start, "length": stop - start})
    return text, result


def _merge_entities(*groups: Iterable[JSONDict]) -> list[JSONDict]:
    return sorted((e for g in groups for e in g), key=lambda e: (e["offset"], -e["length"]))


# --------------------------------------------------------------------------- request parsing

def _parse_multipart(body: bytes, content_type: str) -> JSONDict:
    m = re.search(r'boundary="?([^";]+)"?', content_type)
    if not m:
        raise ValueError("multipart without boundary")
    fields: JSONDict = {}
    for part in body.split(b"--" + m.group(1).encode())[1:]:
        if part.startswith(b"--"):
            break
        head, _, data = part.partition(b"\r\n\r\n")
        data = data.removesuffix(b"\r\n")
        headers = head.decode("utf-8", "replace")
        name = re.search(r'content-disposition:[^\r\n]*?\bname="([^"]*)"', headers, re.I)
        if not name:
            continue
        filename = re.search(r'filename="([^"]*)"', headers)
        ctype = re.search(r"content-type:\s*([^\r\n]+)", headers, re.I)
        fields[name.group(1)] = (
            UploadedFile(filename.group(1), ctype.group(1) if ctype else "", data)
            if filename else data.decode("utf-8")
        )
    return fields


def parse_request(query: str, content_type: str, body: bytes) -> JSONDict:
    """Parameters from the query string and a JSON, urlencoded or multipart body."""
    params: JSONDict = dict(parse_qsl(query, keep_blank_values=True))
    kind = content_type.split(";")[0].strip().lower()
    if kind == "application/json" and body:
        data = json.loads(body)
        if not isinstance(data, dict):
            raise ValueError("JSON body must be an object")
        params.update(data)
    elif kind == "application/x-www-form-urlencoded":
        params.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    elif kind == "multipart/form-data":
        params.update(_parse_multipart(body, content_type))
    for key in JSON_FIELDS & params.keys():  # complex values arrive as JSON strings in forms
        if isinstance(params[key], str):
            with contextlib.suppress(ValueError):  # left as a string; the method reports it
                params[key] = json.loads(params[key])
    return params


class _Params:
    """Typed access to request parameters; numbers may arrive as strings."""

    def __init__(self, raw: JSONDict) -> None:
        self.raw = raw

    def text(self, name: str, *, required: bool = False) -> str | None:
        value = self.raw.get(name)
        if required and value in (None, ""):
            raise bad(f"{name} is empty")
        return None if value is None else str(value)

    def integer(self, name: str, *, required: bool = False, default: int | None = None) -> int | None:
        value = self.raw.get(name)
        if value in (None, ""):
            if required:
                raise bad(f"{name} is empty")
            return default
        try:
            if isinstance(value, bool):
                raise ValueError
            return int(value)
        except (TypeError, ValueError):
            raise bad(f"invalid {name} specified") from None

    def number(self, name: str, default: float = 0.0) -> float:
        value = self.raw.get(name)
        try:
            return default if value in (None, "") else float(value)
        except (TypeError, ValueError):
            raise bad(f"invalid {name} specified") from None

    def flag(self, name: str) -> bool:
        return self.raw.get(name) in (True, 1, "true", "True", "1")

    def obj(self, name: str) -> Any:
        value = self.raw.get(name)
        if isinstance(value, str):
            try:
                return json.loads(value)
            except ValueError:
                raise bad(f"can't parse {name} JSON object") from None
        return value


# --------------------------------------------------------------------------- HTTP plumbing

class _Server(ThreadingHTTPServer):
    daemon_threads = True
    emulator: BotApiEmulator


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def do_GET(self) -> None:
        self._handle()

    def do_POST(self) -> None:
        self._handle()

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _handle(self) -> None:
        url = urlsplit(self.path)
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        status, payload = self.server.emulator.handle_http(
            url.path, url.query, self.headers.get("Content-Type", ""), body)
        if payload is None:                      # Fault.drop: hang up without a word
            self.close_connection = True
            return
        data = payload if isinstance(payload, bytes) else json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):  # client gave up (e.g. cancelled poll)
            pass


# --------------------------------------------------------------------------- the emulator

class BotApiEmulator:
    """Telegram Bot API emulator; use as ``with BotApiEmulator(...) as emu:``.

    All control methods are thread-safe and return deep copies of the stored objects.
    """

    def __init__(self, token: str = "123:ABC", bot_username: str = "TestBot", *,
                 bot_first_name: str | None = None, strict_html: bool = True,
                 privacy_mode: bool = True, supports_inline_queries: bool = True) -> None:
        self.token = token
        prefix = token.split(":", 1)[0]
        self.bot: JSONDict = {"id": int(prefix) if prefix.isdigit() else 1, "is_bot": True,
                              "first_name": bot_first_name or bot_username, "username": bot_username}
        self.strict_html = strict_html
        self.privacy_mode = privacy_mode
        self._me: JSONDict = {
            **self.bot, "can_join_groups": True, "can_read_all_group_messages": not privacy_mode,
            "supports_inline_queries": supports_inline_queries,
            "can_connect_to_business": False, "has_main_web_app": False,
        }
        self._cond = threading.Condition(threading.RLock())
        self._users: dict[int, JSONDict] = {self.bot["id"]: self.bot}
        self._chats: dict[int, JSONDict] = {}
        self._messages: dict[tuple[int, int], JSONDict] = {}
        self._next_message_id: dict[int, int] = {}
        self._inline_messages: dict[str, JSONDict] = {}
        self._sent: list[tuple[int, int]] = []
        self._calls: list[Call] = []
        self._updates: list[JSONDict] = []
        self._next_update_id = 1
        self._next_query_id = 1
        self._allowed_updates: frozenset[str] | None = None
        self._poll_generation = 0
        self._callback_queries: dict[str, JSONDict] = {}
        self._inline_queries: dict[str, JSONDict] = {}
        self._members: dict[tuple[int, int], JSONDict] = {}
        self.webhook: JSONDict = {"url": ""}
        self.callback_answers: dict[str, JSONDict] = {}
        self.inline_answers: dict[str, JSONDict] = {}
        self.commands: dict[tuple[str, str], list[JSONDict]] = {}
        self._closing = False
        self._faults: dict[str, FaultRule] = {}
        self._files: dict[str, bytes] = {}         # file_path -> content (documents users sent)
        self._released = threading.Event()
        self.held = 0                      # requests being held now (Fault.hold)
        self.faulted: list[Call] = []      # requests answered with an injected error
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._methods: dict[str, tuple[str, Callable[[_Params], Any]]] = {
            name.lower(): (name, fn) for name, fn in {
                "getMe": lambda p: dict(self._me), "getUpdates": self._get_updates,
                "sendMessage": self._send_message, "editMessageText": self._edit_message_text,
                "editMessageReplyMarkup": self._edit_reply_markup, "deleteMessage": self._delete_message,
                "answerCallbackQuery": self._answer_callback_query,
                "answerInlineQuery": self._answer_inline_query, "setMyCommands": self._set_my_commands,
                "getMyCommands": self._get_my_commands, "deleteMyCommands": self._delete_my_commands,
                "setWebhook": self._set_webhook, "deleteWebhook": self._delete_webhook,
                "getWebhookInfo": self._get_webhook_info, "getChat": self._get_chat,
                "getChatMember": self._get_chat_member,
                "getChatAdministrators": self._get_chat_administrators, "getFile": self._get_file,
                "sendChatAction": self._send_chat_action,
                "close": lambda p: True, "logOut": lambda p: True,
            }.items()
        }

    # -- lifecycle ---------------------------------------------------------------------------
    def start(self) -> BotApiEmulator:
        self._closing = False
        self._server = _Server(("127.0.0.1", 0), _Handler)
        self._server.emulator = self
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05},
                                        name="botapi-emulator", daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        self._released.set()
        with self._cond:
            self._closing = True
            self._cond.notify_all()
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            assert self._thread is not None
            self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> BotApiEmulator:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        assert self._server is not None, "emulator not started"
        return f"http://127.0.0.1:{self._server.server_address[1]}/bot"

    # -- HTTP dispatch -------------------------------------------------------------------------
    def handle_http(self, path: str, query: str, content_type: str,
                    body: bytes) -> tuple[int, JSONDict | bytes | None]:
        download = re.fullmatch(r"/file/bot([^/]*)/(.+)", unquote(path))   # clients percent-encode the token's ":"
        if download is not None:             # the file download path: the bytes themselves
            with self._cond:
                self._calls.append(Call("download", {"file_path": download.group(2)}))
                self._cond.notify_all()
                data = self._files.get(download.group(2)) if download.group(1) == self.token else None
            return (200, data) if data is not None else (404, {"ok": False, "error_code": 404,
                                                               "description": "Not Found"})
        m = re.fullmatch(r"/bot([^/]*)/([^/]+)/?", path)
        if m is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        if m.group(1) != self.token:
            return 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
        entry = self._methods.get(m.group(2).lower())
        if entry is None:
            return 404, {"ok": False, "error_code": 404, "description": "Not Found"}
        try:
            params = parse_request(query, content_type, body)
        except (ValueError, UnicodeDecodeError) as exc:
            return 400, {"ok": False, "error_code": 400, "description": f"Bad Request: {exc}"}
        name, method = entry
        failure = self._inject(name, params)
        if failure is not None:
            return failure
        with self._cond:
            self._calls.append(Call(name, params))
            self._cond.notify_all()  # a long poll must be visible to wait_for while it blocks
            try:
                return 200, {"ok": True, "result": method(_Params(params))}
            except ApiError as exc:
                return exc.code, {"ok": False, "error_code": exc.code, "description": exc.description}
            except Exception as exc:  # an emulator bug must not hang the client
                return 500, {"ok": False, "error_code": 500, "description": f"Internal Server Error: {exc!r}"}
            finally:
                self._cond.notify_all()

    # -- faults ----------------------------------------------------------------------------------
    def set_fault(self, method: str, rule: FaultRule | None) -> None:
        """From now on, ``rule(method, params)`` decides what happens to each call of ``method``
        (None: nothing unusual); ``rule=None`` removes it."""
        with self._cond:
            if rule is None:
                self._faults.pop(method.lower(), None)
            else:
                self._faults[method.lower()] = rule
                self._released.clear()

    def release_held(self) -> None:
        """Let every held request go (each is answered 502, its method never run)."""
        self._released.set()

    def _inject(self, name: str, params: JSONDict) -> tuple[int, JSONDict | bytes | None] | None:
        with self._cond:
            rule = self._faults.get(name.lower())
            fault = rule(name, params) if rule else None
        if fault is None:
            return None
        if fault.stall:
            time.sleep(fault.stall)
        if fault.hold:
            with self._cond:
                self.held += 1
                self._cond.notify_all()
            self._released.wait()
            with self._cond:
                self.held -= 1
            fault = bad_gateway()
        if fault.garbage or fault.drop:
            with self._cond:
                self.faulted.append(Call(name, params))
                self._cond.notify_all()
            return (200, b"<html><body>502 Bad Gateway</body></html>") if fault.garbage else (0, None)
        if not fault.code:
            return None
        payload: JSONDict = {"ok": False, "error_code": fault.code, "description": fault.description}
        if fault.retry_after is not None:
            payload["parameters"] = {"retry_after": fault.retry_after}
        with self._cond:
            self.faulted.append(Call(name, params))
            self._cond.notify_all()
        return fault.code, payload

    def wait_until(self, condition: Callable[[], bool], timeout: float = 10.0) -> None:
        """Block until ``condition()`` (called with the lock held) is true; AssertionError on timeout."""
        with self._cond:
            if not self._cond.wait_for(condition, timeout):
                raise AssertionError(f"wait_until: not reached within {timeout}s")

    # -- helpers (called with the lock held) ---------------------------------------------------
    def _chat(self, p: _Params, *, create: bool = False) -> JSONDict:
        value = p.text("chat_id", required=True)
        assert value is not None
        if value.startswith("@"):
            for chat in self._chats.values():
                if (chat.get("username") or "").lower() == value[1:].lower():
                    return chat
            raise bad("chat not found")
        try:
            chat_id = int(value)
        except ValueError:
            raise bad("chat not found") from None
        if chat_id not in self._chats:
            if not create or chat_id == 0:
                raise bad("chat not found")
            if chat_id > 0:
                self._chats[chat_id] = {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
                self._users.setdefault(chat_id, {"id": chat_id, "is_bot": False, "first_name": f"User {chat_id}"})
            else:
                kind = "supergroup" if str(chat_id).startswith("-100") else "group"
                self._chats[chat_id] = {"id": chat_id, "type": kind, "title": f"Chat {chat_id}"}
        return self._chats[chat_id]

    def _format(self, text: str | None, parse_mode: str | None, entities: Any) -> tuple[str, list[JSONDict]]:
        if not text:
            raise bad("message text is empty")
        if entities is not None:
            if not isinstance(entities, list) or not all(isinstance(e, dict) for e in entities):
                raise bad("can't parse entities JSON object")
            size = utf16_len(text)
            parsed = [e for e in entities if isinstance(e.get("offset"), int) and isinstance(e.get("length"), int)
                      and e["length"] > 0 and e["offset"] >= 0 and e["offset"] + e["length"] <= size]
        elif (parse_mode or "").lower() == "html":
            text, parsed = parse_html(text, strict=self.strict_html, users=self._users)
        elif parse_mode:
            raise bad("unsupported parse_mode") if parse_mode.lower() not in ("markdown", "markdownv2") \
                else ApiError(501, f"Not Implemented: the emulator does not parse {parse_mode}")
        else:
            parsed = []
        text, parsed = _trim(text, parsed)
        if not text:
            raise bad("message text is empty")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad("message is too long")
        return text, _merge_entities(parsed, find_auto_entities(text, parsed))

    def _reply_markup(self, p: _Params) -> JSONDict | None:
        """Validated reply_markup; only an inline keyboard is kept on the message."""
        markup = p.obj("reply_markup")
        if markup is None:
            return None
        if not isinstance(markup, dict):
            raise bad("can't parse reply keyboard markup JSON object")
        if "inline_keyboard" not in markup:
            return None  # reply keyboards / remove / force_reply are accepted, not stored
        rows = markup["inline_keyboard"]
        if not isinstance(rows, list) or not all(isinstance(row, list) for row in rows):
            raise bad('field "inline_keyboard" of the InlineKeyboardMarkup must be an Array of Arrays')
        for row in rows:
            for button in row:
                if not isinstance(button, dict) or not isinstance(button.get("text"), str):
                    raise bad("can't parse inline keyboard button: Field \"text\" must be of type String")
                if len(button) < 2:
                    raise bad("can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard")
                data = button.get("callback_data")
                if data is not None and not (isinstance(data, str) and 1 <= len(data.encode()) <= 64):
                    raise bad("BUTTON_DATA_INVALID")
        return {"inline_keyboard": rows}

    def _new_message(self, chat: JSONDict, sender: JSONDict, text: str, entities: list[JSONDict],
                     **extra: Any) -> JSONDict:
        message_id = self._next_message_id.get(chat["id"], 1)
        self._next_message_id[chat["id"]] = message_id + 1
        message: JSONDict = {"message_id": message_id, "from": dict(sender), "chat": dict(chat),
                             "date": int(time.time()), "text": text}
        if entities:
            message["entities"] = entities
        message.update({k: v for k, v in extra.items() if v is not None})
        self._messages[(chat["id"], message_id)] = message
        return message

    def _thread_fields(self, chat: JSONDict, thread_id: int | None) -> JSONDict:
        if not thread_id:
            return {}
        return {"message_thread_id": thread_id, "is_topic_message": True if chat.get("is_forum") else None}

    @staticmethod
    def _quoted(message: JSONDict) -> JSONDict:
        """reply_to_message never contains a further reply_to_message."""
        return {k: copy.deepcopy(v) for k, v in message.items() if k != "reply_to_message"}

    def _push(self, kind: str, obj: JSONDict) -> None:
        self._updates.append({"update_id": self._next_update_id, kind: copy.deepcopy(obj)})
        self._next_update_id += 1
        self._cond.notify_all()

    def _allowed(self, update: JSONDict) -> bool:
        kind = next(k for k in update if k != "update_id")
        if self._allowed_updates is None:
            return kind not in DEFAULT_EXCLUDED_UPDATES
        return kind in self._allowed_updates

    def _visible_to_bot(self, message: JSONDict) -> bool:
        """Group privacy mode: commands, replies to the bot, or everything when the bot is admin."""
        chat = message["chat"]
        if not self.privacy_mode or chat["type"] not in ("group", "supergroup"):
            return True
        status = self._members.get((chat["id"], self.bot["id"]), {}).get("status")
        reply = message.get("reply_to_message", {})
        command = re.match(r"/[A-Za-z0-9_]+(?:@(\w+))?", message.get("text", ""))
        return (status in ("administrator", "creator")
                or reply.get("from", {}).get("id") == self.bot["id"]
                or bool(command and (command.group(1) or self.bot["username"]).lower()
                        == self.bot["username"].lower()))

    # -- Bot API methods -----------------------------------------------------------------------
    def _get_updates(self, p: _Params) -> list[JSONDict]:
        if self.webhook["url"]:
            raise ApiError(409, "Conflict: can't use getUpdates method while webhook is active; "
                                "use deleteWebhook to delete the webhook first")
        offset = p.integer("offset", default=0) or 0
        limit = min(max(p.integer("limit", default=100) or 100, 1), 100)
        timeout = max(p.number("timeout"), 0.0)
        allowed = p.obj("allowed_updates")
        if allowed is not None:
            if not isinstance(allowed, list):
                raise bad("can't parse allowed_updates JSON object")
            self._allowed_updates = frozenset(allowed) if allowed else None
        if offset > 0:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
        elif offset < 0:
            self._updates = self._updates[offset:]
        self._poll_generation += 1
        generation = self._poll_generation

        def ready() -> bool:
            self._updates = [u for u in self._updates if self._allowed(u)]
            return self._closing or generation != self._poll_generation or bool(self._updates)

        self._cond.wait_for(ready, timeout)
        if generation != self._poll_generation:
            raise ApiError(409, "Conflict: terminated by other getUpdates request; "
                                "make sure that only one bot instance is running")
        return copy.deepcopy(self._updates[:limit])

    def _send_message(self, p: _Params) -> JSONDict:
        chat = self._chat(p, create=True)
        text, entities = self._format(p.text("text"), p.text("parse_mode"), p.obj("entities"))
        markup = self._reply_markup(p)
        reply_params = p.obj("reply_parameters")
        if reply_params is None and p.integer("reply_to_message_id") is not None:
            reply_params = {"message_id": p.integer("reply_to_message_id"),
                            "allow_sending_without_reply": p.flag("allow_sending_without_reply")}
        reply = None
        if reply_params is not None:
            if not isinstance(reply_params, dict) or not isinstance(reply_params.get("message_id"), int):
                raise bad("can't parse reply_parameters JSON object")
            target = self._messages.get((chat["id"], reply_params["message_id"]))
            if target is None and not reply_params.get("allow_sending_without_reply"):
                raise bad("message to be replied not found")
            reply = self._quoted(target) if target else None
        message = self._new_message(
            chat, self.bot, text, entities, **self._thread_fields(chat, p.integer("message_thread_id")),
            reply_to_message=reply, reply_markup=markup,
            has_protected_content=True if p.flag("protect_content") else None)
        self._sent.append((chat["id"], message["message_id"]))
        return copy.deepcopy(message)

    def _edit_target(self, p: _Params) -> tuple[JSONDict, bool]:
        inline_id = p.text("inline_message_id")
        if inline_id:
            if inline_id not in self._inline_messages:
                raise bad("MESSAGE_ID_INVALID")
            return self._inline_messages[inline_id], True
        chat = self._chat(p, create=True)
        message = self._messages.get((chat["id"], p.integer("message_id", required=True) or 0))
        if message is None:
            raise bad("message to edit not found")
        if message["from"]["id"] != self.bot["id"]:
            raise bad("message can't be edited")
        return message, False

    def _apply_edit(self, p: _Params, changes: JSONDict) -> JSONDict | bool:
        target, inline = self._edit_target(p)
        if all(target.get(key) == value for key, value in changes.items()):
            raise bad(NOT_MODIFIED)
        for key, value in changes.items():
            if value is None:
                target.pop(key, None)
            else:
                target[key] = value
        if inline:
            return True
        target["edit_date"] = int(time.time())
        return copy.deepcopy(target)

    def _edit_message_text(self, p: _Params) -> JSONDict | bool:
        text, entities = self._format(p.text("text"), p.text("parse_mode"), p.obj("entities"))
        # like the real API: omitting reply_markup removes the inline keyboard
        return self._apply_edit(p, {"text": text, "entities": entities or None, "reply_markup": self._reply_markup(p)})

    def _edit_reply_markup(self, p: _Params) -> JSONDict | bool:
        return self._apply_edit(p, {"reply_markup": self._reply_markup(p)})

    def _delete_message(self, p: _Params) -> bool:
        key = (self._chat(p)["id"], p.integer("message_id", required=True) or 0)
        if self._messages.pop(key, None) is None:
            raise bad("message to delete not found")
        return True

    def _answer_callback_query(self, p: _Params) -> bool:
        query_id = p.text("callback_query_id", required=True) or ""
        if query_id not in self._callback_queries or query_id in self.callback_answers:
            raise bad(QUERY_INVALID)
        text = p.text("text")
        if text is not None and len(text) > 200:
            raise bad("MESSAGE_TOO_LONG")
        self.callback_answers[query_id] = {"text": text, "show_alert": p.flag("show_alert"),
                                           "url": p.text("url"), "cache_time": p.integer("cache_time", default=0)}
        return True

    def _answer_inline_query(self, p: _Params) -> bool:
        query_id = p.text("inline_query_id", required=True) or ""
        if query_id not in self._inline_queries or query_id in self.inline_answers:
            raise bad(QUERY_INVALID)
        results = p.obj("results")
        if not isinstance(results, list) or not all(isinstance(r, dict) for r in results):
            raise bad("can't parse results JSON object")
        if len(results) > 50:
            raise bad("RESULTS_TOO_MUCH")
        ids = [r.get("id") for r in results]
        if any(not isinstance(i, str) or not 1 <= len(i.encode()) <= 64 or not r.get("type")
               for i, r in zip(ids, results, strict=True)):
            raise bad("RESULT_ID_INVALID")
        if len(set(ids)) != len(ids):
            raise bad("RESULT_ID_DUPLICATE")
        self.inline_answers[query_id] = {
            "results": results, "cache_time": p.integer("cache_time", default=300),
            "is_personal": p.flag("is_personal"), "next_offset": p.text("next_offset") or "",
            "button": p.obj("button")}
        return True

    def _scope_key(self, p: _Params) -> tuple[str, str]:
        scope = p.obj("scope") or {"type": "default"}
        if not isinstance(scope, dict) or scope.get("type") not in COMMAND_SCOPES:
            raise bad("can't parse BotCommandScope JSON object")
        canonical: JSONDict = {"type": scope["type"]}
        for field in COMMAND_SCOPES[scope["type"]]:
            if scope.get(field) in (None, ""):
                raise bad(f"{field} is empty")
            value = scope[field]
            try:
                canonical[field] = value if str(value).startswith("@") else int(value)
            except (TypeError, ValueError):
                raise bad(f"invalid {field} specified") from None
        language = p.text("language_code") or ""
        if language and not re.fullmatch(r"[a-z]{2}", language):
            raise bad("invalid language code specified")
        return json.dumps(canonical, sort_keys=True), language

    def _set_my_commands(self, p: _Params) -> bool:
        commands = p.obj("commands")
        if not isinstance(commands, list) or not all(isinstance(c, dict) for c in commands):
            raise bad("can't parse commands JSON object")
        if len(commands) > 100:
            raise bad("too many commands specified")
        for command in commands:
            if not re.fullmatch(r"[a-z0-9_]{1,32}", str(command.get("command", ""))):
                raise bad("BOT_COMMAND_INVALID")
            if not 1 <= len(str(command.get("description", "")).strip()) <= 256:
                raise bad("BOT_COMMAND_DESCRIPTION_INVALID")
        key = self._scope_key(p)
        if commands:
            self.commands[key] = [{"command": c["command"], "description": c["description"]} for c in commands]
        else:
            self.commands.pop(key, None)
        return True

    def _get_my_commands(self, p: _Params) -> list[JSONDict]:
        return copy.deepcopy(self.commands.get(self._scope_key(p), []))

    def _delete_my_commands(self, p: _Params) -> bool:
        self.commands.pop(self._scope_key(p), None)
        return True

    def _set_webhook(self, p: _Params) -> bool:
        url = p.text("url") or ""
        if url:
            parts = urlsplit(url)
            if parts.scheme != "https" or not parts.hostname:
                raise bad("bad webhook: An HTTPS URL must be provided for webhook")
            if (parts.port or 443) not in (80, 88, 443, 8443):
                raise bad("bad webhook: Webhook can be set up only on ports 80, 88, 443 or 8443")
        secret = p.text("secret_token")
        if secret is not None and not re.fullmatch(r"[A-Za-z0-9_-]{1,256}", secret):
            raise bad("secret token contains unallowed characters")
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        allowed = p.obj("allowed_updates")
        if isinstance(allowed, list):
            self._allowed_updates = frozenset(allowed) if allowed else None
        self.webhook = {"url": url} if not url else {
            "url": url, "has_custom_certificate": isinstance(p.raw.get("certificate"), UploadedFile),
            "max_connections": p.integer("max_connections", default=40), "secret_token": secret,
            "allowed_updates": allowed if isinstance(allowed, list) else None,
            "ip_address": p.text("ip_address")}
        self._poll_generation += 1  # a waiting getUpdates is cut off
        return True

    def _delete_webhook(self, p: _Params) -> bool:
        if p.flag("drop_pending_updates"):
            self._updates.clear()
        self.webhook = {"url": ""}
        return True

    def _get_webhook_info(self, p: _Params) -> JSONDict:
        info: JSONDict = {"url": self.webhook["url"], "has_custom_certificate": False,
                          "pending_update_count": len(self._updates)}
        for key in ("has_custom_certificate", "max_connections", "allowed_updates", "ip_address"):
            if self.webhook.get(key) is not None:
                info[key] = self.webhook[key]
        return info

    def _get_chat(self, p: _Params) -> JSONDict:
        gifts = dict.fromkeys(("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription",
                               "gifts_from_channels"), False)
        return {**self._chat(p), "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": gifts}

    def _member(self, chat: JSONDict, user_id: int) -> JSONDict:
        user = self._users.get(user_id)
        if user is None:
            raise bad("PARTICIPANT_ID_INVALID")
        stored = self._members.get((chat["id"], user_id))
        if stored is None:
            return {"status": "member", "user": dict(user)}
        return {"status": stored["status"], "user": dict(user),
                **{k: v for k, v in stored.items() if k != "status"}}

    def _get_chat_member(self, p: _Params) -> JSONDict:
        return self._member(self._chat(p), p.integer("user_id", required=True) or 0)

    def _get_file(self, p: _Params) -> JSONDict:
        file_id = p.text("file_id", required=True) or ""
        path = f"documents/{file_id}"
        if path not in self._files:
            raise bad("invalid file_id")
        return {"file_id": file_id, "file_unique_id": file_id, "file_size": len(self._files[path]),
                "file_path": path}

    def _get_chat_administrators(self, p: _Params) -> list[JSONDict]:
        chat = self._chat(p)
        if chat["type"] == "private":
            raise bad("there are no administrators in the private chat")
        return [self._member(chat, uid) for (cid, uid), m in self._members.items()
                if cid == chat["id"] and m["status"] in ("creator", "administrator")]

    def _send_chat_action(self, p: _Params) -> bool:
        self._chat(p, create=True)
        if p.text("action") not in CHAT_ACTIONS:
            raise bad("wrong parameter action in request")
        return True

    # -- control API for tests -----------------------------------------------------------------
    def user(self, id: int, first_name: str, username: str | None = None, *,
             last_name: str | None = None, language_code: str | None = None) -> JSONDict:
        """Register a (human) user; returns the User object."""
        user: JSONDict = {"id": id, "is_bot": False, "first_name": first_name}
        user.update({k: v for k, v in (("last_name", last_name), ("username", username),
                                       ("language_code", language_code)) if v})
        with self._cond:
            self._users[id] = user
        return dict(user)

    def private_chat(self, user: JSONDict) -> JSONDict:
        """The private chat between ``user`` and the bot (a Chat object)."""
        chat: JSONDict = {"id": user["id"], "type": "private", "first_name": user["first_name"]}
        chat.update({k: user[k] for k in ("last_name", "username") if k in user})
        with self._cond:
            self._users.setdefault(user["id"], dict(user))
            self._chats[chat["id"]] = chat
        return dict(chat)

    def group(self, chat_id: int, title: str, type: str = "supergroup", is_forum: bool = False,
              username: str | None = None) -> JSONDict:
        """A group/supergroup (negative id, ``-100…`` for supergroups by convention)."""
        if chat_id >= 0 or type not in ("group", "supergroup"):
            raise ValueError("groups have negative ids and type 'group' or 'supergroup'")
        if is_forum and type != "supergroup":
            raise ValueError("only supergroups can be forums")
        chat: JSONDict = {"id": chat_id, "type": type, "title": title}
        if username:
            chat["username"] = username
        if is_forum:
            chat["is_forum"] = True
        with self._cond:
            self._chats[chat_id] = chat
        return dict(chat)

    def set_member_status(self, chat: JSONDict, user: JSONDict, status: str = "administrator",
                          **fields: Any) -> None:
        """Configure what getChatMember returns ("creator", "administrator", "member", "left",
        "kicked"); administrators get full default rights, overridable via ``fields``."""
        defaults: dict[str, JSONDict] = {
            "creator": {"is_anonymous": False},
            "administrator": {**ADMIN_RIGHTS, **({"can_manage_topics": True} if chat.get("is_forum") else {})},
            "member": {}, "left": {}, "kicked": {"until_date": 0},
        }
        if status not in defaults:
            raise ValueError(f"unsupported status {status!r}")
        with self._cond:
            self._users.setdefault(user["id"], dict(user))
            self._members[(chat["id"], user["id"])] = {"status": status, **defaults[status], **fields}

    def _stored(self, message: JSONDict) -> JSONDict:
        stored = self._messages.get((message["chat"]["id"], message["message_id"]))
        if stored is None:
            raise ValueError(f"unknown message {message['chat']['id']}/{message['message_id']}")
        return stored

    def send_text(self, chat: JSONDict, user: JSONDict, text: str, *, reply_to: JSONDict | None = None,
                  message_thread_id: int | None = None, entities: list[JSONDict] | None = None) -> JSONDict:
        """``user`` writes ``text`` in ``chat``: injects a ``message`` update (unless group privacy
        mode hides it from the bot) and returns the Message. Entities are detected automatically
        (bot_command, mention, url, hashtag) unless given."""
        with self._cond:
            chat = self._chats.setdefault(chat["id"], dict(chat))
            if chat["type"] == "private" and chat["id"] != user["id"]:
                raise ValueError("in a private chat only its user can write")
            self._users.setdefault(user["id"], dict(user))
            message = self._new_message(
                chat, user, text, find_auto_entities(text) if entities is None else entities,
                reply_to_message=self._quoted(self._stored(reply_to)) if reply_to else None,
                **self._thread_fields(chat, message_thread_id))
            if self._visible_to_bot(message):
                self._push("message", message)
            return copy.deepcopy(message)

    def send_document(self, chat: JSONDict, user: JSONDict, file_name: str, data: bytes,
                      caption: str | None = None) -> JSONDict:
        """``user`` sends a file in ``chat``: injects a ``message`` update with a ``document``; the bot
        fetches it with getFile and the file download path."""
        with self._cond:
            chat = self._chats.setdefault(chat["id"], dict(chat))
            self._users.setdefault(user["id"], dict(user))
            file_id = f"doc{len(self._files) + 1}"
            self._files[f"documents/{file_id}"] = bytes(data)
            message = self._new_message(chat, user, "", [], caption=caption)
            del message["text"]
            message["document"] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_name": file_name,
                                   "mime_type": "text/plain", "file_size": len(data)}
            self._push("message", message)
            return copy.deepcopy(message)

    def edit_text(self, message: JSONDict, new_text: str) -> JSONDict:
        """The author edits a user message: injects an ``edited_message`` update."""
        with self._cond:
            stored = self._stored(message)
            stored["text"], stored["edit_date"] = new_text, int(time.time())
            stored.pop("entities", None)
            if entities := find_auto_entities(new_text):
                stored["entities"] = entities
            if self._visible_to_bot(stored):
                self._push("edited_message", stored)
            return copy.deepcopy(stored)

    def press_button(self, message: JSONDict, callback_data: str, user: JSONDict, *, forged: bool = False) -> str:
        """``user`` presses the inline button with ``callback_data`` on ``message`` (a chat message
        or an inline message from ``choose_inline_result``); returns the callback query id.
        ``forged``: a modified client sends data no button of the message has (Telegram lets it through)."""
        with self._cond:
            inline_id = message.get("inline_message_id")
            current = self._inline_messages[inline_id] if inline_id else self._stored(message)
            buttons = [b for row in current.get("reply_markup", {}).get("inline_keyboard", []) for b in row]
            if not forged and not any(b.get("callback_data") == callback_data for b in buttons):
                raise ValueError(f"no button with callback_data {callback_data!r}; buttons: {buttons}")
            query_id = str(4_000_000_000_000 + self._next_query_id)
            self._next_query_id += 1
            query: JSONDict = {"id": query_id, "from": dict(user), "data": callback_data}
            if inline_id:
                query.update(inline_message_id=inline_id, chat_instance="-1")
            else:
                query.update(message=copy.deepcopy(current),
                             chat_instance=str(-(abs(current["chat"]["id"]) * 1_000_003 % 10**18)))
            self._users.setdefault(user["id"], dict(user))
            self._callback_queries[query_id] = query
            self._push("callback_query", query)
            return query_id

    def inline_query(self, user: JSONDict, query: str, *, offset: str = "", chat_type: str = "private") -> str:
        """``user`` types ``@bot query``: injects an ``inline_query`` update; returns its id."""
        with self._cond:
            query_id = str(5_000_000_000_000 + self._next_query_id)
            self._next_query_id += 1
            self._users.setdefault(user["id"], dict(user))
            self._inline_queries[query_id] = {"id": query_id, "from": dict(user), "query": query,
                                              "offset": offset, "chat_type": chat_type}
            self._push("inline_query", self._inline_queries[query_id])
            return query_id

    def choose_inline_result(self, inline_query_id: str, result_id: str) -> JSONDict:
        """The user picks a result the bot answered with; returns the resulting inline message
        ``{"inline_message_id", "text", "entities"?, "reply_markup"?}`` (usable with press_button)."""
        with self._cond:
            results = self.inline_answers[inline_query_id]["results"]
            result = next(r for r in results if r["id"] == result_id)
            content = result.get("input_message_content") or {}
            text, entities = self._format(content.get("message_text"), content.get("parse_mode"),
                                          content.get("entities"))
            inline_id = f"AAAA{inline_query_id}_{result_id}"
            message: JSONDict = {"inline_message_id": inline_id, "text": text}
            if entities:
                message["entities"] = entities
            if result.get("reply_markup"):
                message["reply_markup"] = result["reply_markup"]
            self._inline_messages[inline_id] = message
            return copy.deepcopy(message)

    def inline_message(self, inline_message_id: str) -> JSONDict:
        with self._cond:
            return copy.deepcopy(self._inline_messages[inline_message_id])

    def pending_updates(self) -> list[JSONDict]:
        """Updates queued and not yet confirmed by an offset."""
        with self._cond:
            return copy.deepcopy(self._updates)

    def get_commands(self, scope: JSONDict | None = None, language_code: str = "") -> list[JSONDict]:
        """The commands stored for exactly this scope and language (like getMyCommands)."""
        with self._cond:
            key = self._scope_key(_Params({"scope": scope, "language_code": language_code}))
            return copy.deepcopy(self.commands.get(key, []))

    def _sent_now(self, chat_id: int | None = None) -> list[JSONDict]:
        return [self._messages[key] for key in self._sent
                if key in self._messages and (chat_id is None or key[0] == chat_id)]

    def sent(self, chat_id: int | None = None) -> list[JSONDict]:
        """Messages the bot sent (current state after edits, deleted ones left out), in order."""
        with self._cond:
            return copy.deepcopy(self._sent_now(chat_id))

    def calls(self, method: str | None = None) -> list[Call]:
        """Requests received, optionally only those of ``method`` (case-insensitive)."""
        with self._cond:
            return [copy.deepcopy(c) for c in self._calls if method is None or c.method.lower() == method.lower()]

    def wait_for(self, predicate: Callable[[Any], bool], timeout: float = 10.0, *,
                 what: Literal["any", "sent", "calls"] = "any") -> Any:
        """Block until a sent message (dict) or a recorded call (``Call``) satisfies ``predicate``
        and return it. Lookup errors inside the predicate (KeyError, AttributeError, ...) count as
        no match, so one predicate can be used against both kinds."""
        found: list[Any] = []

        def check() -> bool:
            items = [*(self._sent_now() if what != "calls" else []), *(self._calls if what != "sent" else [])]
            for item in items:
                try:
                    if predicate(item):
                        found.append(item)
                        return True
                except (KeyError, TypeError, AttributeError, IndexError):
                    continue
            return False

        with self._cond:
            if self._cond.wait_for(check, timeout):
                return copy.deepcopy(found[0])
            sent = "\n".join(f"  {m['chat']['id']}/{m['message_id']}: {m.get('text')!r}" for m in self._sent_now())
            calls = "\n".join(f"  {c.method} {c.params}" for c in self._calls if c.method != "getUpdates")
        raise AssertionError(f"wait_for: nothing matched within {timeout}s.\nSent messages:\n{sent or '  (none)'}"
                             f"\nCalls (getUpdates omitted):\n{calls[-4000:] or '  (none)'}")
