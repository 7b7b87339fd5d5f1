"""Portal settings, from command-line options and `RUTINPORTAL_*` environment variables.

One typed, documented line per setting; errors name the setting; the secret key and database
password are masked whenever settings are printed.
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass, field, fields
from pathlib import Path

from ..errors import UserError
from .storage.db import default_url, masked

AUTH_MODES = ("dev", "header", "oidc")
ENV_PREFIX = "RUTINPORTAL_"


@dataclass
class Settings:
    root: Path
    """The repository: content, quizzes and the built site."""
    site_dir: Path
    """The built production site that the portal serves."""
    database: str
    """SQLAlchemy URL: sqlite:///… (default, under var/) or postgresql://…"""
    auth: str = "dev"
    """dev (pick a demo person), header (intranet SSO proxy) or oidc (e.g. Entra ID)."""
    secret_key: str = field(default="", repr=False)
    """Signs session cookies; the same value on every portal process."""
    trusted_proxies: tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...] = ()
    """header mode: addresses (CIDR) of the SSO proxy; the header is trusted only from them."""
    user_header: str = "X-Remote-User"
    """header mode: the header that carries the person id."""
    secure_cookies: bool = False
    """Send cookies only over HTTPS (set behind TLS)."""
    oidc_issuer: str = ""
    """oidc mode: the issuer URL (discovery at /.well-known/openid-configuration)."""
    oidc_client_id: str = ""
    """oidc mode: the client id registered with the provider."""
    oidc_client_secret: str = field(default="", repr=False)
    """oidc mode: the client secret."""
    oidc_claim: str = "preferred_username"
    """oidc mode: the claim whose value is the roster's person id."""
    public_url: str = ""
    """oidc mode: the portal's address as browsers see it (https://…, no path); the provider
    sends people back to <public_url>/login/oidc/callback. Empty: taken from each request."""
    retention_years: int = 3
    """Quiz attempts older than this many years are deleted by `rutinportal retention`."""

    def __repr__(self) -> str:
        shown = ", ".join(
            f"{f.name}={'***' if f.name in ('secret_key', 'oidc_client_secret') else masked(self.database) if f.name == 'database' else getattr(self, f.name)!r}"
            for f in fields(self))
        return f"Settings({shown})"


def parse_networks(values: list[str] | tuple[str, ...], setting: str):
    networks = []
    for value in values:
        for part in value.replace(",", " ").split():
            try:
                networks.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                raise UserError(f"{setting}: förväntade en IP-adress eller ett nät i "
                                f"CIDR-form (t.ex. 10.0.0.5 eller 10.0.0.0/24), "
                                f"fick '{part}'") from None
    return tuple(networks)


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def database_url(root: Path, given: str | None = None) -> str:
    """`--database`, else `RUTINPORTAL_DATABASE`, else SQLite under var/."""
    return given or env("DATABASE") or default_url(root)


def secret_key_for(root: Path, given: str | None) -> str:
    """The given key, or one kept in var/secret_key (created once, readable only by us)."""
    if given:
        return given
    path = root / "var" / "secret_key"
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def load_settings(root: Path, *, database: str | None = None, auth: str | None = None,
                  trusted_proxies: tuple[str, ...] = (), user_header: str | None = None,
                  site_dir: Path | None = None, secret_key: str | None = None) -> Settings:
    """Options win over environment variables, which win over defaults."""
    auth = auth or env("AUTH", "dev")
    if auth not in AUTH_MODES:
        raise UserError(f"auth: förväntade en av {', '.join(AUTH_MODES)}, fick '{auth}'")
    proxies = trusted_proxies or tuple((env("TRUSTED_PROXIES") or "").split())
    retention = env("RETENTION_YEARS", "3")
    if not retention.isdigit() or int(retention) < 1:
        raise UserError(f"RUTINPORTAL_RETENTION_YEARS: förväntade ett heltal från och med 1, "
                        f"fick '{retention}'")
    settings = Settings(
        root=root,
        site_dir=Path(site_dir or env("SITE_DIR") or root / "site"),
        database=database_url(root, database),
        auth=auth,
        secret_key=secret_key_for(root, secret_key or env("SECRET_KEY")),
        trusted_proxies=parse_networks(proxies, "--trusted-proxy"),
        user_header=user_header or env("USER_HEADER", "X-Remote-User"),
        secure_cookies=(env("SECURE_COOKIES", "") or "").lower() in ("1", "true", "ja"),
        oidc_issuer=env("OIDC_ISSUER", "") or "",
        oidc_client_id=env("OIDC_CLIENT_ID", "") or "",
        oidc_client_secret=env("OIDC_CLIENT_SECRET", "") or "",
        oidc_claim=env("OIDC_CLAIM", "preferred_username") or "preferred_username",
        public_url=(env("PUBLIC_URL", "") or "").rstrip("/"),
        retention_years=int(retention),
    )
    if settings.auth == "header" and not settings.trusted_proxies:
        raise UserError("--auth header kräver minst en --trusted-proxy (SSO-proxyns adress); "
                        "annars kan vem som helst skicka rubriken och utge sig för någon annan")
    if settings.public_url and not settings.public_url.startswith(("https://", "http://")):
        raise UserError(f"RUTINPORTAL_PUBLIC_URL: förväntade en adress som börjar med "
                        f"https:// (t.ex. https://rutiner.kommun.se), fick "
                        f"'{settings.public_url}'")
    if settings.auth == "oidc" and not (settings.oidc_issuer and settings.oidc_client_id):
        raise UserError("--auth oidc kräver RUTINPORTAL_OIDC_ISSUER och "
                        "RUTINPORTAL_OIDC_CLIENT_ID")
    return settings
