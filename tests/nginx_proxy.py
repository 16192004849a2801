"""Debian's nginx in front of several `vertaiset serve` processes on loopback, with the
configuration of ``deploy/nginx`` (the one an organisation installs), for the proxy test.

:func:`find_nginx` looks on ``PATH`` and in ``/usr/sbin`` (Debian's place, often not on a
user's ``PATH``). :class:`Nginx` renders ``deploy/nginx`` into a folder of its own — the
servers' ports in place of ``127.0.0.1:8701``/``8702``, loopback ports in place of 80 and
443, a self-signed certificate in place of certbot's — and runs nginx in the foreground,
without root: ``nginx -p DIR -c DIR/nginx.conf -e DIR/error.log -g 'daemon off;'``.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEPLOY = ROOT / "deploy" / "nginx"
#: The servers' addresses as deploy/nginx/vertaiset-upstream.conf lists them.
DEPLOYED_SERVERS = ("127.0.0.1:8701", "127.0.0.1:8702")


def find_nginx() -> str | None:
    """The nginx binary: ``$VERTAISET_NGINX``, on ``PATH``, or Debian's ``/usr/sbin/nginx``."""
    named = os.environ.get("VERTAISET_NGINX")
    if named:
        return named if os.access(named, os.X_OK) else None
    found = shutil.which("nginx")
    if found:
        return found
    for path in ("/usr/sbin/nginx", "/usr/local/sbin/nginx", "/usr/local/nginx/sbin/nginx"):
        if os.access(path, os.X_OK):
            return path
    return None


def _replace(text: str, old: str, new: str, what: str) -> str:
    assert old in text, f"deploy/nginx no longer has {old!r} ({what})"
    return text.replace(old, new)


def render(folder: Path, servers: list[str], http_port: int, https_port: int) -> Path:
    """Write deploy/nginx into ``folder`` for loopback; return the main configuration file."""
    (folder / "conf.d").mkdir(parents=True, exist_ok=True)
    (folder / "snippets").mkdir(exist_ok=True)
    (folder / "sites-enabled").mkdir(exist_ok=True)
    (folder / "temp").mkdir(exist_ok=True)

    upstream = (DEPLOY / "vertaiset-upstream.conf").read_text(encoding="utf-8")
    lines = upstream.splitlines()
    # one upstream line and one map line per server: the deployed two become ours
    template_upstream = next(ln for ln in lines if f"server {DEPLOYED_SERVERS[0]}" in ln)
    template_map = next(ln for ln in lines if f'"{DEPLOYED_SERVERS[0]}"' in ln)
    out = []
    for line in lines:
        if any(s in line for s in DEPLOYED_SERVERS):
            if line == template_upstream:
                out += [line.replace(DEPLOYED_SERVERS[0], s) for s in servers]
            elif line == template_map:
                out += [line.replace(DEPLOYED_SERVERS[0], s) for s in servers]
            continue
        out.append(line)
    (folder / "conf.d" / "vertaiset-upstream.conf").write_text("\n".join(out) + "\n", encoding="utf-8")
    for name in ("vertaiset-locations.conf", "vertaiset-proxy.conf"):
        shutil.copy(DEPLOY / name, folder / "snippets" / name)

    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(key), "-out", str(cert)], check=True, capture_output=True, timeout=60)
    site = (DEPLOY / "vertaiset").read_text(encoding="utf-8")
    site = _replace(site, "    listen 80;\n", f"    listen 127.0.0.1:{http_port};\n", "http")
    site = _replace(site, "    listen [::]:80;\n", "", "http on IPv6")
    site = _replace(site, "    listen 443 ssl;\n", f"    listen 127.0.0.1:{https_port} ssl;\n", "https")
    site = _replace(site, "    listen [::]:443 ssl;\n", "", "https on IPv6")
    site = re.sub(r"ssl_certificate\s+\S+;", f"ssl_certificate {cert};", site)
    site = re.sub(r"ssl_certificate_key\s+\S+;", f"ssl_certificate_key {key};", site)
    (folder / "sites-enabled" / "vertaiset").write_text(site, encoding="utf-8")

    temp = folder / "temp"
    main = f"""# nginx for the proxy test: Debian's nginx.conf, cut to what the site needs
{"user root;" if os.geteuid() == 0 else ""}
worker_processes 1;
pid {folder}/nginx.pid;
error_log {folder}/error.log info;
events {{ worker_connections 1024; }}
http {{
    access_log {folder}/access.log;
    client_body_temp_path {temp}/body;
    proxy_temp_path {temp}/proxy;
    fastcgi_temp_path {temp}/fastcgi;
    uwsgi_temp_path {temp}/uwsgi;
    scgi_temp_path {temp}/scgi;
    include conf.d/*.conf;
    include sites-enabled/*;
}}
"""
    path = folder / "nginx.conf"
    path.write_text(main, encoding="utf-8")
    return path


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Nginx:
    """nginx in the foreground in front of ``servers`` (``host:port``), stopped by :meth:`stop`."""

    def __init__(self, binary: str, folder: Path, servers: list[str]):
        self.folder = folder
        self.http_port, self.https_port = _free_port(), _free_port()
        self.conf = render(folder, servers, self.http_port, self.https_port)
        self.base_url = f"https://127.0.0.1:{self.https_port}"
        cmd = [binary, "-p", str(folder), "-c", str(self.conf), "-e", str(folder / "error.log")]
        check = subprocess.run(cmd + ["-t"], capture_output=True, text=True, timeout=30)
        if check.returncode != 0:
            raise RuntimeError(f"nginx -t failed:\n{check.stderr}")
        self.proc = subprocess.Popen(cmd + ["-g", "daemon off;"], stdout=subprocess.DEVNULL,
                                     stderr=subprocess.STDOUT, start_new_session=True)
        deadline = time.time() + 20
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"nginx exited: {self.error_log()[-2000:]}")
            try:
                with socket.create_connection(("127.0.0.1", self.https_port), timeout=1):
                    return
            except OSError:
                time.sleep(0.1)
        raise RuntimeError(f"nginx did not start: {self.error_log()[-2000:]}")

    def url(self, notebook: str, **query: str) -> str:
        from urllib.parse import urlencode

        return f"{self.base_url}/voila/render/{notebook}?{urlencode(query)}"

    def error_log(self) -> str:
        path = self.folder / "error.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def access_log(self) -> str:
        path = self.folder / "access.log"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(10)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(5)
