"""End-to-end harness: a real server subprocess, Debian's Chromium through Playwright, and a
watch on everything the page asks the network for.

Chromium is started with flags that stop it reaching out on its own, and with a resolver
rule that makes every host but 127.0.0.1/localhost unresolvable: any remote fetch fails at
once, so "no failed request and no non-local request" is a reliable offline assertion.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

PROJECT_ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")

CHROME_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-features=AutofillServerCommunication",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
    "--window-size=1400,1000",
]

LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})
# Schemes that never touch the network.
LOCAL_SCHEMES = frozenset({"data", "blob", "about"})


def child_processes(pid: int) -> list[int]:
    """Processes whose parent is ``pid``, sorted (Linux /proc): gunicorn's workers."""
    kids = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except (OSError, IndexError):
            continue
        if int(fields[1]) == pid:
            kids.append(int(stat.parent.name))
    return sorted(kids)


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ServerError(RuntimeError):
    """The server process did not come up (the message ends with its output)."""


class ServerProcess:
    """A server started as a real subprocess, with its output kept in temporary files.

    ``start()`` returns once ``http://127.0.0.1:{port}{ready_path}`` answers 200 and raises
    :class:`ServerError` with the tail of stderr if the process exits or times out first.
    The process gets its own session so ``stop()`` also ends any workers it forked.
    """

    def __init__(
        self,
        args: Sequence[str],
        port: int,
        env: Mapping[str, str] | None = None,
        ready_path: str = "/",
        timeout: float = 60,
        cwd: Path | str = PROJECT_ROOT,
    ) -> None:
        self.args = list(args)
        self.port = port
        self.base_url = f"http://127.0.0.1:{port}"
        self.ready_path = ready_path
        self.timeout = timeout
        self.cwd = Path(cwd)
        self.env = {**os.environ, "PYTHONUNBUFFERED": "1", **(env or {})}
        self.proc: subprocess.Popen[bytes] | None = None
        # Files, not pipes: a chatty server can never block on a full pipe. They live as
        # long as this object and are closed by close().
        self._stdout = tempfile.TemporaryFile()  # noqa: SIM115
        self._stderr = tempfile.TemporaryFile()  # noqa: SIM115

    def start(self) -> str:
        self.proc = subprocess.Popen(
            self.args,
            cwd=self.cwd,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self._stdout,
            stderr=self._stderr,
            start_new_session=True,
        )
        url = self.base_url + self.ready_path
        deadline = time.monotonic() + self.timeout
        last_error = ""
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise ServerError(
                    f"{self._describe()} exited with code {self.proc.returncode} before "
                    f"{url} answered\n{self.output_tail()}"
                )
            try:
                with urllib.request.urlopen(url, timeout=5) as resp:
                    if resp.status == 200:
                        return self.base_url
                    last_error = f"HTTP {resp.status}"
            except urllib.error.HTTPError as exc:
                last_error = f"HTTP {exc.code}"
            except (urllib.error.URLError, ConnectionError, TimeoutError) as exc:
                last_error = str(exc)
            time.sleep(0.1)
        self.stop()
        raise ServerError(
            f"{self._describe()} did not answer 200 at {url} within {self.timeout}s "
            f"(last: {last_error})\n{self.output_tail()}"
        )

    def stop(self, timeout: float = 10) -> None:
        """Terminate the process group; kill it if it is still there after ``timeout``."""
        if self.proc is None or self.proc.poll() is not None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, 15)
        try:
            self.proc.wait(timeout)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, 9)
            self.proc.wait(timeout)

    def output_tail(self, lines: int = 40) -> str:
        parts = []
        for name, f in (("stdout", self._stdout), ("stderr", self._stderr)):
            f.seek(0)
            text = f.read().decode("utf-8", "replace").splitlines()[-lines:]
            if text:
                parts.append(f"--- {name} (last {len(text)} lines) ---\n" + "\n".join(text))
        return "\n".join(parts) or "(no output)"

    def _describe(self) -> str:
        return "server `" + " ".join(self.args) + "`"

    def close(self) -> None:
        try:
            self.stop()
        finally:
            self._stdout.close()
            self._stderr.close()

    def __enter__(self) -> ServerProcess:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


@contextlib.contextmanager
def run_server(
    args: Sequence[str],
    port: int,
    env: Mapping[str, str] | None = None,
    ready_path: str = "/",
    timeout: float = 60,
    cwd: Path | str = PROJECT_ROOT,
) -> Iterator[str]:
    """Run ``args`` as a subprocess until the block ends; yields its base URL."""
    with ServerProcess(args, port, env, ready_path, timeout, cwd) as server:
        yield server.base_url


def is_local_url(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in LOCAL_SCHEMES or (parts.hostname or "") in LOCAL_HOSTS


@dataclass
class Problem:
    kind: str  # "console", "pageerror", "requestfailed", "http", "remote"
    detail: str

    def __str__(self) -> str:
        return f"[{self.kind}] {self.detail}"


class BrowserWatch:
    """Records what a Playwright page does: console errors, page errors, requests, failures.

    ``assert_clean()`` fails on any console error, uncaught page error, failed request,
    HTTP error response (>= 400), or request to a host other than 127.0.0.1/localhost.
    """

    def __init__(self, page: Any) -> None:
        self.page = page
        self.problems: list[Problem] = []
        self.requests: list[str] = []
        self._finished: list[Any] = []
        page.on("console", self._on_console)
        page.on("pageerror", self._on_pageerror)
        page.on("request", self._on_request)
        page.on("requestfailed", self._on_requestfailed)
        page.on("requestfinished", self._on_requestfinished)
        page.on("response", self._on_response)

    def _on_console(self, msg: Any) -> None:
        if msg.type == "error":
            loc = msg.location or {}
            where = f" ({loc.get('url')}:{loc.get('lineNumber')})" if loc.get("url") else ""
            self.problems.append(Problem("console", msg.text + where))

    def _on_pageerror(self, exc: Any) -> None:
        self.problems.append(Problem("pageerror", str(exc)))

    def _on_request(self, request: Any) -> None:
        self.requests.append(request.url)
        if not is_local_url(request.url):
            self.problems.append(Problem("remote", request.url))

    def _on_requestfailed(self, request: Any) -> None:
        self.problems.append(Problem("requestfailed", f"{request.url}: {request.failure}"))

    def _on_requestfinished(self, request: Any) -> None:
        self._finished.append(request)

    def _on_response(self, response: Any) -> None:
        if response.status >= 400:
            self.problems.append(Problem("http", f"{response.status} {response.url}"))

    def requests_matching(self, pattern: str) -> list[str]:
        """Request URLs matching the regex ``pattern`` (``re.search``)."""
        return [u for u in self.requests if re.search(pattern, u)]

    def transferred(self) -> dict[str, int]:
        """Encoded (on-the-wire) body bytes of every finished http(s) response, by URL."""
        return {
            r.url: max(0, r.sizes()["responseBodySize"])
            for r in self._finished
            if r.url.startswith(("http:", "https:"))
        }

    def clear(self) -> None:
        self.problems.clear()
        self.requests.clear()
        self._finished.clear()

    def assert_clean(self, ignore: Sequence[str] = ()) -> None:
        """Raise ``AssertionError`` listing every problem not matched by an ``ignore`` regex."""
        problems = [p for p in self.problems if not any(re.search(i, str(p)) for i in ignore)]
        if problems:
            raise AssertionError(
                f"{len(problems)} browser problem(s):\n" + "\n".join(f"  {p}" for p in problems)
            )


_DASH_IDLE_JS = """([quietMs]) => {
    const root = document.getElementById('_dash-app-content')
        || document.getElementById('react-entry-point');
    const state = window.store && window.store.getState ? window.store.getState() : null;
    const pending = state && state.callbacks ? Object.entries(state.callbacks)
        .some(([k, v]) => k !== 'stored' && k !== 'completed' && Array.isArray(v) && v.length)
        : false;
    const busy = !root || root.children.length === 0 || !state || state.isLoading || pending
        || document.querySelector('._dash-loading, ._dash-loading-callback, '
                                  + '[data-dash-is-loading="true"]') !== null
        || [...document.querySelectorAll('.dash-graph')].some(
               g => !g.classList.contains('js-plotly-plot') && !g.querySelector('.js-plotly-plot'));
    const now = performance.now();
    if (busy) { window.__nwsIdleSince = null; return false; }
    if (window.__nwsIdleSince == null) { window.__nwsIdleSince = now; return false; }
    return now - window.__nwsIdleSince >= quietMs;
}"""


def wait_for_dash(page: Any, timeout: float = 30_000, quiet_ms: int = 250) -> None:
    """Wait until the Dash layout is rendered, no callback is pending and every graph is drawn.

    Busy means: the root is empty, the renderer's store is loading or holds requested /
    prioritized / executing / watched callbacks (what dash.testing waits on), a
    ``._dash-loading*`` or ``[data-dash-is-loading=true]`` element exists, or a ``dcc.Graph``
    has not been plotted yet.

    "Idle" must hold for ``quiet_ms`` in a row, so chained callbacks are waited for too.
    """
    page.wait_for_selector("#react-entry-point", state="attached", timeout=timeout)
    page.evaluate("window.__nwsIdleSince = null")
    page.wait_for_function(_DASH_IDLE_JS, arg=[quiet_ms], timeout=timeout, polling=50)
