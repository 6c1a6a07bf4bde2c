"""Vigía's wiring: settings read, the Application built, jobs started; `python -m bot`.

May import every layer below it (`handlers`, `services`, `storage`, `domain`).
"""
