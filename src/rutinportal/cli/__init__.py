"""The `rutinportal` command line (click). User errors exit 1 with a Swedish message.

Commands live by whom they serve: `content`, `decisions` and `decision_pack` (the
coordinator's), `portal` (the operator's).
"""

from . import campaigns, content, decision_pack, decisions, portal  # noqa: F401  (registers)
from .common import main

__all__ = ["main"]
