"""Services that carry out the rules with storage: the moderation desk, notifications,
the outbox, backups, charts. They import `domain` and `storage`, never `handlers`,
`bot` or `telegram.ext`.
"""
