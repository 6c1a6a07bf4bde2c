"""Vigía's benchmarks: `python -m bench` (or `make bench`).

Every figure is measured against a baseline taken in the same run (a bare
python-telegram-bot echo bot, or the target rate), because these machines are noisy
and an absolute time means little from one run to the next. See `bench/README.md`.
"""
