"""Telegram handlers, one package or module per conversation or command family.

They import `services`, `storage` and `domain`, never the wiring in `bot`.
"""
