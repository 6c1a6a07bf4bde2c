"""`python -m bot demo`: the real bot in a terminal, against the in-process fake Bot API.

An NGO evaluating Vigía, a trainer or a translator can walk the whole loop (report,
review, verification, notification, broadcast) alone, with no token and no Telegram
account: several people share one session and the prompt says who has unread messages.
A development tool on top of everything: it imports the wiring and `fake_telegram`.
"""
