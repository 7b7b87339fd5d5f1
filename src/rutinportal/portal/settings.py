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
from .storage.db import default_url, masked, private_folder

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
    auth: str
    """dev (pick a demo person), header (intranet SSO proxy) or oidc (e.g. Entra ID); no
    default: the portal refuses to start until one is chosen."""
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
    session_idle_minutes: int = 480
    """A session that has not been used for this many minutes has ended (default 8 hours)."""
    quiz_cooldown_minutes: int = 10
    """After three failed attempts in a row at a quiz, the next may start after this pause."""
    max_body_kb: int = 64
    """The largest request body accepted (kB); a larger one is refused with 413 unread."""
    log_file: str = ""
    """The access log (one JSON line per request); empty: standard output."""

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


NO_AUTH = ("Ingen inloggningsmetod är vald, så portalen startar inte. Ange --auth dev "
           "(demoläge: vem som helst kan logga in som vem som helst, bara för test), --auth "
           "header (intranätets SSO-proxy) eller --auth oidc (t.ex. Entra ID), eller sätt "
           "RUTINPORTAL_AUTH till en av dem.")


def env(name: str, default: str | None = None) -> str | None:
    return os.environ.get(ENV_PREFIX + name, default)


def positive_int(name: str, default: int) -> int:
    """`RUTINPORTAL_<name>` as a whole number from 1, or `default` when it is not set."""
    value = (env(name) or "").strip() or str(default)
    if not value.isdigit() or int(value) < 1:
        raise UserError(f"{ENV_PREFIX}{name}: förväntade ett heltal från och med 1, "
                        f"fick '{value}'")
    return int(value)


def retention_years() -> int:
    return positive_int("RETENTION_YEARS", 3)


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
    private_folder(path.parent)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(key)
    return key


def load_settings(root: Path, *, database: str | None = None, auth: str | None = None,
                  trusted_proxies: tuple[str, ...] = (), user_header: str | None = None,
                  site_dir: Path | None = None, secret_key: str | None = None) -> Settings:
    """Options win over environment variables, which win over defaults."""
    auth = auth or env("AUTH")
    if not auth:
        raise UserError(NO_AUTH)
    if auth not in AUTH_MODES:
        raise UserError(f"auth: förväntade en av {', '.join(AUTH_MODES)}, fick '{auth}'")
    proxies = trusted_proxies or tuple((env("TRUSTED_PROXIES") or "").split())
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
        retention_years=retention_years(),
        session_idle_minutes=positive_int("SESSION_IDLE_MINUTES", 480),
        quiz_cooldown_minutes=positive_int("QUIZ_COOLDOWN_MINUTES", 10),
        max_body_kb=positive_int("MAX_BODY_KB", 64),
        log_file=env("LOG_FILE", "") or "",
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
