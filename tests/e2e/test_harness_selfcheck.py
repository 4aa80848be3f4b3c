"""The harness checks itself: a throwaway Dash app using our partial plotly.js draws an SVG
map (``choropleth`` + ``scattergeo``) and a scatter offline without the full plotly.js, and
the watch does catch a remote request."""

from __future__ import annotations

import sys
import textwrap
import urllib.request
from pathlib import Path
from typing import Any

import brotli
import pytest

from app.web.assets import PLOTLY_BUNDLE, PLOTLY_BUNDLE_BR

from .harness import PROJECT_ROOT, free_port, run_server, wait_for_dash

N_POINTS = 7
# Bytes on the wire for the first view of the test app (about 0.69 MB measured).
PAYLOAD_BUDGET = 1_000_000

APP_SOURCE = textwrap.dedent(
    f"""
    import sys

    import plotly.graph_objects as go
    from dash import Dash, dcc, html

    from app.web.assets import ASSETS_DIR, use_partial_plotly

    # exterior ring clockwise, as d3-geo (plotly.js geo) wants it
    POLYGON = {{
        "type": "FeatureCollection",
        "features": [{{
            "type": "Feature",
            "id": "SY07",
            "properties": {{"name": "Idlib"}},
            "geometry": {{"type": "Polygon", "coordinates": [[
                [36.2, 35.6], [36.2, 36.2], [37.0, 36.2], [37.0, 35.6], [36.2, 35.6]
            ]]}},
        }}],
    }}

    # without assets/plotly_geo_assets.js (the dashboard's empty base map, given without a
    # request): plotly.js then fetches it, which must go to config.topojsonURL, our assets
    app = Dash(__name__, assets_folder=str(ASSETS_DIR), serve_locally=True, compress=True,
               assets_ignore=r"^plotly_geo_assets\\.js$")
    use_partial_plotly(app)

    choropleth = go.Figure([
        go.Choropleth(geojson=POLYGON, locations=["SY07"], z=[1], colorscale="Blues",
                      featureidkey="id", locationmode="geojson-id"),
        go.Scattergeo(lon=[36.0, 37.2], lat=[36.4, 36.4], mode="lines"),
    ])
    choropleth.update_layout(geo={{"visible": False, "projection": {{"type": "mercator"}},
                                   "lonaxis": {{"range": [35.8, 37.4]}},
                                   "lataxis": {{"range": [35.4, 36.6]}}}},
                             margin={{"l": 0, "r": 0, "t": 0, "b": 0}})
    scatter = go.Figure(go.Scatter(x=list(range({N_POINTS})), y=[3, 1, 4, 1, 5, 9, 2],
                                   mode="markers"))

    app.layout = html.Div([
        # the base map's topojson (fetched whenever a choropleth exists) from our assets
        dcc.Graph(id="map", figure=choropleth, config={{"topojsonURL": "/assets/topojson/"}}),
        dcc.Graph(id="scatter", figure=scatter),
    ])

    if __name__ == "__main__":
        app.run(host="127.0.0.1", port=int(sys.argv[1]), debug=False)
    """
)

# Dash's full plotly.js, fingerprinted (plotly.v7_1_0m123.min.js) or not (plotly.min.js).
FULL_PLOTLY = r"package_data/plotly|/plotly(\.v\w+)?\.min\.js"


@pytest.fixture(scope="module")
def selfcheck_app(tmp_path_factory: pytest.TempPathFactory) -> Any:
    path: Path = tmp_path_factory.mktemp("selfcheck") / "selfcheck_app.py"
    path.write_text(APP_SOURCE, encoding="utf-8")
    port = free_port()
    with run_server(
        [sys.executable, str(path), str(port)],
        port,
        env={"PYTHONPATH": str(PROJECT_ROOT)},
        timeout=60,
    ) as url:
        yield url


def test_partial_plotly_draws_map_and_scatter_offline(page: Any, selfcheck_app: str) -> None:
    page.goto(selfcheck_app)
    wait_for_dash(page)

    assert page.locator(".js-plotly-plot").count() == 2
    assert page.locator("#scatter .scatterlayer .point").count() == N_POINTS
    page.locator("#map path.choroplethlocation").wait_for()
    assert page.locator("#map path.choroplethlocation").count() == 1
    assert page.locator("#map .geo .trace.scattergeo path.js-line").count() == 1
    assert page.locator("#map canvas").count() == 0  # SVG, no WebGL
    assert page.evaluate("Object.keys(Plotly.PlotSchema.get().traces).sort()") == [
        "choropleth",
        "scatter",
        "scattergeo",
    ]

    assert page.watch.requests_matching(r"/assets/vendor/plotly-nws\.min\.js")
    assert page.watch.requests_matching(r"/assets/topojson/world_110m\.json")
    assert page.watch.requests_matching(FULL_PLOTLY) == []
    # `page` checks after the test that nothing failed and nothing left 127.0.0.1.


def test_first_view_payload_under_budget(page: Any, selfcheck_app: str) -> None:
    """Chromium accepts br for 127.0.0.1, so the bundle comes as the prebuilt .br file."""
    page.goto(selfcheck_app)
    wait_for_dash(page)

    sizes = page.watch.transferred()
    total = sum(sizes.values())
    biggest = sorted(sizes.items(), key=lambda kv: -kv[1])[:5]
    listing = "\n".join(f"{n:>9} {url}" for url, n in biggest)
    assert total <= PAYLOAD_BUDGET, f"first view moved {total} bytes:\n{listing}"
    bundle = next(n for url, n in sizes.items() if "plotly-nws.min.js" in url)
    assert bundle == PLOTLY_BUNDLE_BR.stat().st_size


def test_bundle_served_precompressed(selfcheck_app: str) -> None:
    url = selfcheck_app + "/assets/vendor/plotly-nws.min.js"
    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip, deflate, br"})
    with urllib.request.urlopen(request) as resp:
        assert resp.headers["Content-Encoding"] == "br"
        assert resp.headers["Content-Type"].startswith("text/javascript")
        assert "Accept-Encoding" in resp.headers["Vary"]
        body = resp.read()
    assert brotli.decompress(body) == PLOTLY_BUNDLE.read_bytes()

    request = urllib.request.Request(url, headers={"Accept-Encoding": "gzip"})
    with urllib.request.urlopen(request) as resp:
        assert resp.headers.get("Content-Encoding") != "br"


@pytest.mark.parametrize(
    "provoke",
    [
        pytest.param(
            lambda page: page.set_content('<script src="https://example.com/x.js"></script>'),
            id="script-tag",
        ),
        pytest.param(
            lambda page: page.evaluate(
                "fetch('https://example.com/x.js').then(() => 'ok', () => 'failed')"
            ),
            id="fetch",
        ),
    ],
)
def test_watch_catches_remote_request(page: Any, provoke: Any) -> None:
    with page.expect_event("requestfailed"):
        provoke(page)

    with pytest.raises(AssertionError) as caught:
        page.watch.assert_clean()
    message = str(caught.value)
    assert "[remote] https://example.com/x.js" in message
    assert "[requestfailed] https://example.com/x.js" in message

    page.watch.clear()
