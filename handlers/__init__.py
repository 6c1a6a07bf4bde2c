"""Telegram handlers, one module per conversation or command family."""
