"""The one exception tree: every mistake a user can fix, with its HTTP status and exit code.

`UserError` and its subclasses (and `content.problems.ValidationFailed`, which lists every
problem found in the content) become a clean Swedish message: exit code 1 in the CLI, their
`status_code` in the portal (JSON for `/api/…`, an HTML page otherwise). Anything else is a
bug and keeps its traceback (CLI) or becomes a logged 500 (portal).
"""

from __future__ import annotations


class UserError(Exception):
    """A mistake the user can fix; shown without traceback."""

    status_code = 400
    exit_code = 1

    def __init__(self, message: str, status_code: int | None = None):
        super().__init__(message)
        self.message = message
        if status_code is not None:
            self.status_code = status_code


class LifecycleError(UserError):
    """An illegal status transition (e.g. approving a draft that was never submitted)."""

    status_code = 409


class BuildError(UserError):
    """The site could not be built; the previous site is left untouched."""

    status_code = 500


class NotSignedIn(UserError):
    """No one is signed in (or the session has ended)."""

    status_code = 401


class Forbidden(UserError):
    """Signed in, but not allowed; or a request from another site (CSRF)."""

    status_code = 403


class NotFound(UserError):
    status_code = 404


class NotPublished(UserError):
    """The document, version or quiz is not published; nothing was recorded."""

    status_code = 422


class InvalidAnswers(UserError):
    """An attempt names a question or choice the quiz does not have."""

    status_code = 422
