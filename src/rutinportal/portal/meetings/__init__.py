"""The workplace meeting (APT): a manager goes through routines with a unit, ticks who
attended, and records it; each attendee gets an acknowledgement with source `apt`, the
meeting's date and the manager as witness. A printable meeting sheet comes with it."""
