"""E-mail: digests and reminders to staff, weekly summaries to managers, decisions waiting
to the coordinator and leadership, reviews due to the coordinator and to the documents'
owners; each message exactly once.

`compose` decides what to send from the campaigns ledger (no other rule), `reviews` which
reviews are due and whose owner the roster reaches, `render` writes each message (Swedish,
plain text and accessible HTML from Jinja templates), `ledger` claims each one in the
database before it is sent and marks it sent after, `smtp` sends over one connection, `run`
does one run of `rutinportal notify`, `log` shows the runs.
"""
