"""Adapters around the answer engine: command line, terminal chat, Telegram, storage."""
