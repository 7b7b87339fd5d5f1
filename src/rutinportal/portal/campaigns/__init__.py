"""What is owed, and by when: requirements, due dates, renewals and exceptions.

Nothing here is stored: obligations are computed for a day from what is published, the
active roster, the acknowledgements and passed quizzes, and the exceptions. `rules.assess`
is the one rule for one person and one requirement; `ledger.build_ledger` applies it to many
people in a fixed number of queries. The dashboard, /min-sida/, /api/me, the exports and
`rutinportal notify` all read the ledger.
"""
