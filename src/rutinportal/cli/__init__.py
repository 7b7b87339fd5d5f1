"""The `rutinportal` command line (click). User errors exit 1 with a Swedish message.

Commands live by whom they serve: `content` and `decisions` (the coordinator's), `portal`
(the operator's).
"""

from . import content, decisions, portal  # noqa: F401  (registers the commands)
from .common import main

__all__ = ["main"]
