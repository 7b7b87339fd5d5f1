"""The ASGI application for uvicorn and other servers, configured from `RUTINPORTAL_*`.

Run several processes (or hosts) behind a load balancer with the same `RUTINPORTAL_DATABASE`
(PostgreSQL) and `RUTINPORTAL_SECRET_KEY`: they share no other state.
"""

from __future__ import annotations

from ..repository import find_root
from .app import create_app
from .settings import load_settings

app = create_app(load_settings(find_root()))
