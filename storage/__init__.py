"""Everything that touches SQLite: migrations and one module per aggregate; no SQL elsewhere.

Imports only `domain`; never services, handlers, the wiring or Telegram.
"""
