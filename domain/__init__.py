"""Pure rules of Vigía: vocabulary, state transitions, parsers and formats, translation.

Imports nothing of the project, and never Telegram or the database.
"""
