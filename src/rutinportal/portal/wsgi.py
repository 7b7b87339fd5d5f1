"""The ASGI application for uvicorn and other servers, configured from `RUTINPORTAL_*`.

Run several processes (or hosts) behind a load balancer with the same `RUTINPORTAL_DATABASE`
(PostgreSQL) and `RUTINPORTAL_SECRET_KEY`: they share no other state. Without
`RUTINPORTAL_AUTH` (or with any other setting wrong) the application refuses to start, with
the Swedish message on standard error and exit code 1.
"""

from __future__ import annotations

import sys

from ..errors import UserError
from ..repository import find_root
from .app import create_app
from .settings import load_settings

try:
    app = create_app(load_settings(find_root()))
except UserError as exc:
    print(f"Fel: {exc}", file=sys.stderr, flush=True)
    raise SystemExit(exc.exit_code) from None
