"""The `rutinportal` command line (click). User errors exit 1 with a Swedish message.

Commands live by whom they serve: `content`, `decisions`, `decision_pack` and `evidence`
(the coordinator's), `portal`, `database` and `deploy` (the operator's).
"""

from . import (campaigns, content, database, decision_pack, decisions,  # noqa: F401
               deploy, evidence, portal)  # (importing them registers the commands)
from .common import main

__all__ = ["main"]
