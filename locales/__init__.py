"""The gettext catalogs, as a package so that `importlib.resources` finds them.

The `.po` files are the source (edited here, never shipped); the `.mo` files are
compiled from them at build time (build_catalogs.py) and shipped in the wheel, or by
`make install` / `python -m bot.i18n_tools compile` in a checkout. They are never
committed.
"""
