"""E-mail: digests and reminders to staff, weekly summaries to managers, decisions waiting
and reviews due to the coordinator and leadership; each message exactly once.

`compose` decides what to send from the campaigns ledger (no other rule), `render` writes
each message (Swedish, plain text and accessible HTML from Jinja templates), `ledger` claims
each one in the database before it is sent and marks it sent after, `smtp` sends over one
connection, `run` does one run of `rutinportal notify`, `log` shows the runs.
"""
