"""Decisions: the Beslut page (`/beslut/`) for sector leadership and the coordinator, and the
roster's counts that the decision pack shows."""
