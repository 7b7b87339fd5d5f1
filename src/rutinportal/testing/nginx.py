"""Debian's nginx with the shipped site configuration (deploy/nginx), for the tests.

`render_site` takes `deploy/nginx/rutinportal.conf` as shipped and replaces exactly the
values its header names for substitution (ports, paths, the upstream's processes) — every one
must be found, so a change to the shipped file that a test would no longer see fails loudly.
`NginxProcess` runs nginx in the foreground (`daemon off`) under a minimal main configuration
standing in for Debian's /etc/nginx/nginx.conf (Debian's modules, mime types, the site
included in `http`), listening on 127.0.0.1 only. The caller stops what it starts.
"""

from __future__ import annotations

import datetime as dt
import glob
import ipaddress
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from .server import HOST, free_port

SHIPPED = Path(__file__).resolve().parents[3] / "deploy"
SITE_CONF = "nginx/rutinportal.conf"
UPSTREAM = ("    server 127.0.0.1:8001 max_fails=1 fail_timeout=5s;\n"
            "    server 127.0.0.1:8002 max_fails=1 fail_timeout=5s;\n")
MODULES = "/etc/nginx/modules-enabled/*.conf"
BROTLI_MODULE = "ngx_http_brotli_static_module.so"
DEBIAN_MODULES = "/usr/lib/nginx/modules"


class Unavailable(Exception):
    """No nginx here; the message says why."""


def binary() -> str:
    found = shutil.which("nginx") or ("/usr/sbin/nginx" if os.path.exists("/usr/sbin/nginx")
                                      else None)
    if found is None:
        raise Unavailable("nginx saknas (Debian: apt-get install nginx)")
    return found


def brotli_available() -> bool:
    """Debian's libnginx-mod-http-brotli-static is installed and enabled."""
    return any(BROTLI_MODULE in Path(p).read_text(errors="replace")
               for p in glob.glob(MODULES))


@dataclass(frozen=True)
class Layout:
    """Where the rendered configuration puts things (all under `folder`)."""

    folder: Path
    site: Path                 # the built site nginx serves
    upstream_ports: Sequence[int]
    http_port: int
    https_port: int
    brotli: bool

    @property
    def snippets(self) -> Path:
        return self.folder / "snippets"

    @property
    def certificate(self) -> Path:
        return self.folder / "tls" / "cert.pem"

    @property
    def key(self) -> Path:
        return self.folder / "tls" / "key.pem"

    @property
    def csp(self) -> Path:
        return self.folder / "nginx-csp.conf"

    @property
    def access_log(self) -> Path:
        return self.folder / "logs" / "rutinportal.access.log"

    @property
    def htpasswd(self) -> Path:
        return self.folder / "rutinportal.htpasswd"


def _replace(text: str, old: str, new: str, where: str) -> str:
    if old not in text:
        raise AssertionError(f"{where}: the shipped configuration no longer contains {old!r}; "
                             "update the renderer (rutinportal.testing.nginx) with it")
    return text.replace(old, new)


def render_site(layout: Layout, shipped: Path = SHIPPED) -> str:
    """The shipped site file with the test's ports and paths substituted."""
    where = str(shipped / SITE_CONF)
    text = (shipped / SITE_CONF).read_text(encoding="utf-8")
    upstream = "".join(f"    server {HOST}:{port} max_fails=1 fail_timeout=5s;\n"
                       for port in layout.upstream_ports)
    for old, new in (
            (UPSTREAM, upstream),
            ("    listen [::]:80;\n", ""),
            ("    listen [::]:443 ssl http2;\n", ""),
            ("listen 80;", f"listen {HOST}:{layout.http_port};"),
            ("listen 443 ssl http2;", f"listen {HOST}:{layout.https_port} ssl http2;"),
            ("server_name rutiner.kommun.se;", f"server_name {HOST};"),
            ("/etc/ssl/rutinportal/fullchain.pem", str(layout.certificate)),
            ("/etc/ssl/rutinportal/privkey.pem", str(layout.key)),
            ("root /srv/rutinportal/site;", f"root {layout.site};"),
            ("/etc/nginx/snippets/", f"{layout.snippets}/"),
            ("/var/lib/rutinportal/nginx-csp.conf", str(layout.csp)),
            ("/var/log/nginx/rutinportal.access.log", str(layout.access_log)),
    ):
        text = _replace(text, old, new, where)
    return text


def render_snippets(layout: Layout, people: Sequence[str], shipped: Path = SHIPPED) -> None:
    """The SSO snippet as shipped for auth_basic (sso-basic.conf), with a password file for
    `people` (password: the person id), and brotli.conf when the module is there."""
    layout.snippets.mkdir(parents=True, exist_ok=True)
    sso = (shipped / "nginx/sso-basic.conf").read_text(encoding="utf-8")
    sso = _replace(sso, "/etc/nginx/rutinportal.htpasswd", str(layout.htpasswd),
                   str(shipped / "nginx/sso-basic.conf"))
    (layout.snippets / "rutinportal-sso.conf").write_text(sso, encoding="utf-8")
    layout.htpasswd.write_text("".join(f"{p}:{{PLAIN}}{p}\n" for p in people),
                               encoding="utf-8")
    if layout.brotli:
        shutil.copyfile(shipped / "nginx/brotli.conf",
                        layout.snippets / "rutinportal-brotli.conf")


def self_signed(certificate: Path, key: Path) -> None:
    """A certificate for 127.0.0.1 and localhost, valid for a day."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    private = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "localhost")])
    now = dt.datetime.now(dt.timezone.utc)
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(private.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(minutes=5))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.SubjectAlternativeName([
                x509.DNSName("localhost"), x509.IPAddress(ipaddress.ip_address(HOST))]),
                critical=False)
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(private, hashes.SHA256()))
    certificate.parent.mkdir(parents=True, exist_ok=True)
    certificate.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key.write_bytes(private.private_bytes(serialization.Encoding.PEM,
                                          serialization.PrivateFormat.PKCS8,
                                          serialization.NoEncryption()))
    key.chmod(0o600)


MAIN = """\
# Stands in for Debian's /etc/nginx/nginx.conf: Debian's modules, its mime types, the site.
{user}pid {folder}/nginx.pid;
worker_processes 1;
{modules}
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    sendfile on;
    access_log off;
    client_body_temp_path {folder}/tmp/body;
    proxy_temp_path {folder}/tmp/proxy;
    fastcgi_temp_path {folder}/tmp/fastcgi;
    uwsgi_temp_path {folder}/tmp/uwsgi;
    scgi_temp_path {folder}/tmp/scgi;
    include {folder}/sites/rutinportal.conf;
}}
"""


class NginxProcess:
    """nginx in the foreground with the rendered site configuration."""

    def __init__(self, layout: Layout):
        self.layout = layout
        self.folder = layout.folder
        self.base = f"https://{HOST}:{layout.https_port}"
        self.plain = f"http://{HOST}:{layout.http_port}"
        self.error_log = self.folder / "logs" / "error.log"
        self.process: subprocess.Popen | None = None

    def write(self) -> Path:
        for sub in ("sites", "logs", "tmp"):
            (self.folder / sub).mkdir(parents=True, exist_ok=True)
        # Debian's module files say `load_module modules/…`: relative to nginx's prefix.
        modules = self.folder / "modules"
        if not modules.exists():
            modules.symlink_to(DEBIAN_MODULES)
        (self.folder / "sites" / "rutinportal.conf").write_text(render_site(self.layout),
                                                                 encoding="utf-8")
        # As root, the workers would run as `nobody`, who may not enter pytest's folders.
        user = "user root root;\n" if os.geteuid() == 0 else ""
        main = self.folder / "nginx.conf"
        # Debian's dynamic modules only for Brotli: without, the site must need none.
        modules = f"include {MODULES};" if self.layout.brotli else ""
        main.write_text(MAIN.format(user=user, folder=self.folder, modules=modules),
                        encoding="utf-8")
        return main

    def command(self, *extra: str) -> list[str]:
        return [binary(), "-p", str(self.folder), "-c", str(self.folder / "nginx.conf"),
                "-e", str(self.error_log), *extra]

    def test_config(self) -> subprocess.CompletedProcess:
        """`nginx -t` on the written configuration."""
        return subprocess.run(self.command("-t"), capture_output=True, text=True, timeout=60)

    def start(self, timeout: float = 30) -> NginxProcess:
        self.write()
        log = (self.folder / "logs" / "nginx.out").open("ab")
        with log:
            self.process = subprocess.Popen(self.command("-g", "daemon off;"), stdout=log,
                                            stderr=log)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError("nginx exited at start:\n" + self.output())
            try:
                with socket.create_connection((HOST, self.layout.https_port), timeout=1):
                    return self
            except OSError:
                time.sleep(0.05)  # polling for readiness, not waiting for timing
        self.stop()
        raise RuntimeError(f"nginx did not listen within {timeout:.0f} s:\n" + self.output())

    def output(self) -> str:
        parts = [p.read_text(errors="replace")[-3000:] for p in
                 (self.folder / "logs" / "nginx.out", self.error_log) if p.exists()]
        return "\n".join(parts)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)  # graceful: finish what is in flight
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)

    def __enter__(self) -> NginxProcess:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def layout(folder: Path, site: Path, upstream_ports: Sequence[int],
           brotli: bool | None = None) -> Layout:
    """Free ports, the test's folders and a certificate."""
    found = Layout(folder=folder, site=site, upstream_ports=tuple(upstream_ports),
                   http_port=free_port(), https_port=free_port(),
                   brotli=brotli_available() if brotli is None else brotli)
    self_signed(found.certificate, found.key)
    return found
