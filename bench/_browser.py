"""What a page load moves over the wire and when its graphs are drawn, seen from Chromium.

:class:`NetLog` listens to the Chrome DevTools Protocol ``Network`` domain of one page:
``requestWillBeSent`` (URL, method, POST body), ``responseReceived`` (status, MIME type,
``Content-Encoding``), ``dataReceived`` (decoded bytes) and ``loadingFinished``, whose
``encodedDataLength`` is what crossed the wire for the response (headers included).

:data:`DRAWN_JS` is installed in the page before any script runs and records, every 25 ms,
when a map has been drawn and when a cartesian chart has drawn a trace, as
``performance.now()`` (milliseconds since navigation start). A map is either the
dashboard's SVG ``geo`` map (every choropleth of the current figure has a path per location:
its GeoJSON was fetched and drawn; the same test as ``tests/e2e/dashboard_helpers.GEO_DRAWN``)
or a MapLibre map subplot (the peer's) that has finished loading its style and sources.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

#: Chromium's network throttling for the field links (CDP Network.emulateNetworkConditions).
THROTTLED = {
    "offline": False,
    "latency": 150,  # ms added to each request's round trip
    "downloadThroughput": 1_600_000 / 8,  # 1.6 Mbit/s in bytes/s
    "uploadThroughput": 750_000 / 8,  # 0.75 Mbit/s
}

DRAWN_JS = """
(() => {
  const marks = window.__benchDrawn = {map: null, chart: null, graphs: 0};
  const maplibreReady = (gd) => {
    const fl = gd._fullLayout;
    const ids = (fl && fl._subplots && fl._subplots.map) || [];
    if (!ids.length || !gd.querySelector('canvas')) return false;
    return ids.every((id) => {
      const sp = fl[id] && fl[id]._subplot;
      return sp && sp.map && sp.map.loaded() && sp.map.isStyleLoaded() !== false;
    });
  };
  const geoReady = (gd) => {
    const fl = gd._fullLayout;
    if (!fl || !fl._subplots || !(fl._subplots.geo || []).length) return false;
    const want = (gd._fullData || []).filter((t) => t.type === 'choropleth' && t.visible === true);
    const groups = [...gd.querySelectorAll('.geo .choroplethlayer .trace.choropleth')];
    return want.length > 0 && want.every((t) => groups.some((g) => {
      const cd = g.__data__;
      if (!cd || !cd[0] || cd[0].trace !== t) return false;
      const paths = g.querySelectorAll('path.choroplethlocation');
      return paths.length === t._length
        && [...paths].some((p) => (p.getAttribute('d') || '').length > 0);
    }));
  };
  const mapReady = (gd) => geoReady(gd) || maplibreReady(gd);
  const chartReady = (gd) => {
    const fl = gd._fullLayout;
    const ids = (fl && fl._subplots && fl._subplots.cartesian) || [];
    return ids.length > 0 && Array.isArray(gd._fullData)
      && gd.querySelector('.cartesianlayer') !== null;
  };
  const tick = () => {
    const gds = document.querySelectorAll('.js-plotly-plot');
    marks.graphs = gds.length;
    for (const gd of gds) {
      if (marks.map === null && mapReady(gd)) marks.map = performance.now();
      if (marks.chart === null && chartReady(gd)) marks.chart = performance.now();
    }
    if (marks.map === null || marks.chart === null) setTimeout(tick, 25);
  };
  tick();
})();
"""


def category(url: str, mime: str, resource_type: str) -> str:
    """Resource class of a request, for the wire-bytes split."""
    path = urlsplit(url).path
    if path.startswith("/_dash-update-component"):
        return "callbacks"
    if path.startswith(("/_dash-layout", "/_dash-dependencies")):
        return "layout JSON"
    if path.startswith("/geo/") or path.endswith((".geojson", ".topojson")) or "topojson" in path:
        return "geometry"
    if resource_type == "Document":
        return "HTML"
    if path.endswith(".js") or "javascript" in mime:
        return "JS"
    if path.endswith(".css") or mime == "text/css":
        return "CSS"
    return "other"


@dataclass
class Resource:
    request_id: str
    url: str
    method: str = "GET"
    resource_type: str = ""
    post_data: str | None = None
    status: int = 0
    mime: str = ""
    encoding: str = ""  # Content-Encoding
    cache_control: str = ""
    wire: int = 0  # encodedDataLength at loadingFinished (headers + encoded body)
    decoded: int = 0  # sum of dataReceived.dataLength (decoded body)
    finished: bool = False
    failed: str = ""

    @property
    def path(self) -> str:
        parts = urlsplit(self.url)
        return parts.path + (f"?{parts.query}" if parts.query else "")

    @property
    def category(self) -> str:
        return category(self.url, self.mime, self.resource_type)


@dataclass
class NetLog:
    """CDP network log of one page (attach before navigating)."""

    cdp: Any
    resources: dict[str, Resource] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.cdp.on("Network.requestWillBeSent", self._sent)
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.dataReceived", self._data)
        self.cdp.on("Network.loadingFinished", self._finished)
        self.cdp.on("Network.loadingFailed", self._failed)
        self.cdp.send("Network.enable")

    def _sent(self, e: dict) -> None:
        req = e["request"]
        self.resources[e["requestId"]] = Resource(
            e["requestId"],
            req["url"],
            req.get("method", "GET"),
            e.get("type", ""),
            req.get("postData"),
        )

    def _get(self, e: dict) -> Resource | None:
        return self.resources.get(e["requestId"])

    def _response(self, e: dict) -> None:
        r = self._get(e)
        if r is None:
            return
        resp = e["response"]
        headers = {k.lower(): v for k, v in resp.get("headers", {}).items()}
        r.status = int(resp.get("status", 0))
        r.mime = resp.get("mimeType", "")
        r.encoding = headers.get("content-encoding", "")
        r.cache_control = headers.get("cache-control", "")
        r.resource_type = e.get("type", r.resource_type)

    def _data(self, e: dict) -> None:
        r = self._get(e)
        if r is not None:
            r.decoded += int(e.get("dataLength", 0))

    def _finished(self, e: dict) -> None:
        r = self._get(e)
        if r is not None:
            r.wire = int(e.get("encodedDataLength", 0))
            r.finished = True

    def _failed(self, e: dict) -> None:
        r = self._get(e)
        if r is not None:
            r.failed = e.get("errorText", "failed")

    def http(self) -> list[Resource]:
        return [r for r in self.resources.values() if r.url.startswith(("http:", "https:"))]

    def by_category(self) -> dict[str, int]:
        out: dict[str, int] = {}
        for r in self.http():
            out[r.category] = out.get(r.category, 0) + r.wire
        return out

    def total(self) -> int:
        return sum(r.wire for r in self.http())

    def settle(self, quiet_s: float = 0.5, timeout_s: float = 20, page: Any = None) -> None:
        """Wait until no request has been pending for ``quiet_s`` (bounded by ``timeout_s``)."""
        deadline = time.monotonic() + timeout_s
        quiet_since = None
        while time.monotonic() < deadline:
            pending = [r for r in self.http() if not r.finished and not r.failed]
            t = time.monotonic()
            if pending:
                quiet_since = None
            elif quiet_since is None:
                quiet_since = t
            elif t - quiet_since >= quiet_s:
                return
            if page is not None:
                page.wait_for_timeout(50)
            else:
                time.sleep(0.05)


def drawn_marks(page: Any) -> dict[str, float | None]:
    return page.evaluate("window.__benchDrawn || {}")


def wait_drawn(page: Any, need: tuple[str, ...], timeout_ms: float) -> dict[str, float | None]:
    """Wait until every mark in ``need`` ("map", "chart") is set; returns the marks."""
    cond = " && ".join(f"window.__benchDrawn.{n} !== null" for n in need)
    page.wait_for_function(f"() => window.__benchDrawn && {cond}", timeout=timeout_ms, polling=50)
    return drawn_marks(page)
