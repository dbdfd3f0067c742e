"""The production server as an operator runs it, driven over real HTTP.

``ProductionServer`` starts gunicorn (DEBUG off) on a free port against the configured
database and waits for ``/health/``; ``HttpClient`` signs in like a browser (cookies, CSRF
token) and fetches pages. ``bench_load`` measures pages under concurrent users with them;
the production walk test uses them to open every page as every role.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urljoin, urlsplit

PROJECT_DIR = Path(__file__).resolve().parents[2]


def ensure_postgres_database(url: str) -> bool:
    """Create the PostgreSQL database of ``url`` when it is missing; True when created."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        conn.execute(f'CREATE DATABASE "{name}"')  # name from our own Makefile
        return True


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def production_env(database_url: str | None, **extra: str) -> dict[str, str]:
    """The environment of a production process, with https left to a (missing) proxy."""
    env = dict(os.environ)
    for name in ("TASKS_BACKEND", "DJANGO_SETTINGS_MODULE"):
        env.pop(name, None)
    env.update(
        DEBUG="0",
        SECRET_KEY=env.get("BENCH_SECRET_KEY", "bench-only-secret-key-not-for-production"),
        ALLOWED_HOSTS="127.0.0.1,localhost",
        SECURE_SSL_REDIRECT="0",
        SECURE_HSTS_SECONDS="0",
        DJANGO_SETTINGS_MODULE="teamwerk.settings",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    env.update(extra)
    return env


class ProductionServer:
    """gunicorn with ``workers`` processes; a context manager that stops it on exit."""

    def __init__(self, *, database_url: str | None, workers: int = 2, port: int | None = None,
                 log_path: Path | None = None, env: dict[str, str] | None = None):  # fmt: skip
        self.port = port or free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.workers = workers
        self.env = production_env(database_url, **(env or {}))
        self.log_path = log_path or PROJECT_DIR / "var" / f"gunicorn-{self.port}.log"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> ProductionServer:
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = open(self.log_path, "wb")  # noqa: SIM115 - closed in __exit__
        gunicorn = Path(sys.executable).with_name("gunicorn")
        self.process = subprocess.Popen(  # noqa: S603 - fixed arguments
            [
                str(gunicorn),
                "teamwerk.wsgi",
                "--workers",
                str(self.workers),
                "--bind",
                f"127.0.0.1:{self.port}",
                "--access-logfile",
                "-",
                "--timeout",
                "60",  # as make serve: a busy machine must not kill a slow page at 30 s
            ],
            cwd=PROJECT_DIR,
            env=self.env,
            stdout=self._log,
            stderr=subprocess.STDOUT,
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn stopped at start; see {self.log_path}:\n{self.log()}")
            try:
                status, _headers, _body = HttpClient(self.base).get("/health/")
                if status in (200, 503):
                    return self
            except OSError:
                pass
            time.sleep(0.3)
        self.__exit__(None, None, None)
        raise RuntimeError(f"gunicorn did not answer /health/ within 60 s; see {self.log_path}")

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()


class HttpClient:
    """One browser: keeps its cookies (also those marked Secure: the bench talks plain http
    to the server as a TLS-terminating proxy would) and one keep-alive connection."""

    def __init__(self, base: str):
        parts = urlsplit(base)
        self.base = base
        self.host, self.port = parts.hostname, parts.port
        self.cookies: dict[str, str] = {}
        self._conn: http.client.HTTPConnection | None = None

    def _connection(self) -> http.client.HTTPConnection:
        if self._conn is None:
            self._conn = http.client.HTTPConnection(self.host, self.port, timeout=600)
        return self._conn

    def request(self, method: str, path: str, body: dict | None = None, headers=None):
        head = {"Host": f"{self.host}:{self.port}", "User-Agent": "teamwerk-bench"}
        if self.cookies:
            head["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        data = None
        if body is not None:
            data = urlencode(body).encode()
            head["Content-Type"] = "application/x-www-form-urlencoded"
            head["Referer"] = self.base + path
        head.update(headers or {})
        for attempt in range(2):
            conn = self._connection()
            try:
                conn.request(method, path, body=data, headers=head)
                response = conn.getresponse()
                payload = response.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.close()
                if attempt:
                    raise
        for header in response.headers.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(header)
            for key, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value and morsel["expires"]:
                    self.cookies.pop(key, None)
                else:
                    self.cookies[key] = morsel.value
        return response.status, response.headers, payload

    def get(self, path: str, headers=None):
        return self.request("GET", path, headers=headers)

    def post(self, path: str, data: dict):
        data = {"csrfmiddlewaretoken": self.cookies.get("csrftoken", ""), **data}
        return self.request(
            "POST", path, body=data, headers={"X-CSRFToken": data["csrfmiddlewaretoken"]}
        )

    def follow(self, path: str, *, limit: int = 5):
        """GET, following redirects inside the site; returns (status, headers, body, path)."""
        for _ in range(limit):
            status, headers, body = self.get(path)
            if status not in (301, 302, 303, 307, 308):
                return status, headers, body, path
            location = headers["Location"]
            target = urlsplit(urljoin(self.base + path, location))
            path = target.path + (f"?{target.query}" if target.query else "")
        return status, headers, body, path

    def login(self, email: str, password: str) -> None:
        status, _h, body = self.get("/accounts/login/")
        if status != 200:
            raise RuntimeError(f"login page answered {status}")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        data = {"login": email, "password": password}
        if token:
            data["csrfmiddlewaretoken"] = token.group(1).decode()
        status, headers, body = self.request(
            "POST",
            "/accounts/login/",
            body=data,
            headers={"X-CSRFToken": data.get("csrfmiddlewaretoken", "")},
        )
        if status != 302 or "sessionid" not in self.cookies:
            raise RuntimeError(f"sign-in as {email} failed ({status}): {body[:300]!r}")

    def close(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None


STATIC_RE = re.compile(rb'(?:href|src)="(/static/[^"?#]+)')


def static_paths(html: bytes) -> set[str]:
    """The CSS, JS, icons and fonts a page refers to under /static/."""
    return {match.decode() for match in STATIC_RE.findall(html)}


# ---------------------------------------------------------------------- the load bench


@dataclass
class Page:
    name: str
    path: str
    role: str  # the demo account that opens it


@dataclass
class Sample:
    page: str
    role: str
    seconds: float
    status: int
    size: int


@dataclass
class BenchResult:
    samples: list[Sample] = field(default_factory=list)
    wall_seconds: float = 0.0
    load_before: tuple[float, float, float] = (0.0, 0.0, 0.0)
    load_after: tuple[float, float, float] = (0.0, 0.0, 0.0)

    def rows(self) -> list[dict]:
        by_page: dict[tuple[str, str], list[Sample]] = {}
        for sample in self.samples:
            by_page.setdefault((sample.page, sample.role), []).append(sample)
        health = [s.seconds for s in self.samples if s.page == "health"]
        h50, h95 = percentile(health, 50), percentile(health, 95)
        rows = []
        for (page, role), samples in by_page.items():
            times = [s.seconds for s in samples]
            p50, p95 = percentile(times, 50), percentile(times, 95)
            rows.append(
                {
                    "page": page,
                    "role": role,
                    "n": len(samples),
                    "p50_ms": round(p50 * 1000, 1),
                    "p95_ms": round(p95 * 1000, 1),
                    "p50_x_health": round(p50 / h50, 1) if h50 else None,
                    "p95_x_health": round(p95 / h95, 1) if h95 else None,
                    "kb": round(max(s.size for s in samples) / 1024, 1),
                    "errors": sum(1 for s in samples if s.status >= 400),
                }
            )
        return rows

    def table(self) -> str:
        lines = [
            "| page | as | n | p50 ms | p95 ms | p50 ×health | p95 ×health | HTML KB | errors |",
            "|---|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for row in self.rows():
            lines.append(
                "| {page} | {role} | {n} | {p50_ms} | {p95_ms} | {p50_x_health} | "
                "{p95_x_health} | {kb} | {errors} |".format(**row)
            )
        lines.append(
            f"\nwall time {self.wall_seconds:.1f} s; load average before "
            f"{self.load_before[0]:.2f}, after {self.load_after[0]:.2f} "
            f"(1 min; {os.cpu_count()} cores, shared)"
        )
        return "\n".join(lines)


def percentile(values: list[float], pct: int) -> float:
    if not values:
        return 0.0
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def run_bench(
    *,
    base: str,
    pages: list[Page],
    passwords: dict[str, str],
    users: int = 8,
    rounds: int = 5,
    setup=None,
) -> BenchResult:
    """``users`` concurrent clients; client i signs in as the i-th role (round robin) and
    opens that role's pages ``rounds`` times, with /health/ before each page."""
    roles = sorted({page.role for page in pages})
    result = BenchResult(load_before=os.getloadavg())
    lock = threading.Lock()
    errors: list[BaseException] = []
    barrier = threading.Barrier(users)

    def one_user(index: int) -> None:
        role = roles[index % len(roles)]
        client = HttpClient(base)
        try:
            client.login(role, passwords[role])
            if setup:
                setup(client, role)
            mine = [page for page in pages if page.role == role]
            for page in mine:  # warm up: first render, caches, connections
                client.get(page.path)
            barrier.wait(timeout=300)
            for _ in range(rounds):
                for page in mine:
                    for name, path in (("health", "/health/"), (page.name, page.path)):
                        started = time.perf_counter()
                        status, _h, body = client.get(path)
                        elapsed = time.perf_counter() - started
                        with lock:
                            result.samples.append(
                                Sample(
                                    name,
                                    "" if name == "health" else role,
                                    elapsed,
                                    status,
                                    len(body),
                                )  # fmt: skip
                            )
        except BaseException as exc:  # noqa: BLE001 - reported after the run
            errors.append(exc)
            barrier.abort()
        finally:
            client.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=one_user, args=(i,)) for i in range(users)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    result.wall_seconds = time.perf_counter() - started
    result.load_after = os.getloadavg()
    real = [e for e in errors if not isinstance(e, threading.BrokenBarrierError)]
    if real:
        raise RuntimeError(f"bench failed: {real[0]!r}") from real[0]
    return result


def save(result: BenchResult, path: Path, label: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.loads(path.read_text()) if path.exists() else {}
    data[label] = {
        "rows": result.rows(),
        "wall_seconds": result.wall_seconds,
        "load_before": result.load_before,
        "load_after": result.load_after,
    }
    path.write_text(json.dumps(data, indent=2))
