"""``/health`` asks the store itself: 200 with its version when it answers, 503 (never a
traceback) when it cannot be reached, while the pages go on serving the last tables read."""

from __future__ import annotations

from pathlib import Path

from app.config import override
from app.store import live
from app.store.engine import dispose_all


def test_health_reports_the_store_and_its_outage(tmp_path: Path) -> None:
    from app.web.server import create_app

    workspace = tmp_path / "workspace"
    with override(workspace=workspace, database_url=""):
        live.clear()
        try:
            client = create_app().server.test_client()
            ok = client.get("/health")
            assert ok.status_code == 200
            assert (ok.json["status"], ok.json["store"], ok.json["store_version"],
                    ok.json["cache"]) == ("ok", "sqlite", 0, "file")  # fmt: skip
            dispose_all()
            (workspace / "store.sqlite3").rename(tmp_path / "moved-away.sqlite3")
            down = client.get("/health")
            assert down.status_code == 503
            assert down.json == {"status": "unavailable", "store": "unreachable",
                                 "cache": "file", "version": down.json["version"]}  # fmt: skip
            assert client.get("/sources").status_code == 200  # the last tables read
        finally:
            dispose_all()
            live.clear()


def test_past_its_grace_an_outage_is_a_clear_503_and_the_app_recovers(
    tmp_path: Path, monkeypatch
) -> None:
    """A short outage serves the last tables read; one longer than the grace answers 503 with
    Retry-After (an HTML page for a page, JSON for a callback, in the page's language), and
    the next request after the store is back is served again, with no restart."""
    from app.web.server import create_app

    workspace = tmp_path / "workspace"
    store_file = workspace / "store.sqlite3"
    with override(workspace=workspace, database_url=""):
        live.clear()
        try:
            client = create_app().server.test_client()
            assert client.get("/sources").status_code == 200
            monkeypatch.setattr(live, "POLL_SECONDS", 0.0)  # ask the store on every request
            dispose_all()
            store_file.rename(tmp_path / "moved-away.sqlite3")
            assert client.get("/sources").status_code == 200  # inside the grace: last tables
            monkeypatch.setattr(live, "STALE_GRACE_SECONDS", 0.0)  # ... and now past it
            page = client.get("/sources")
            assert page.status_code == 503
            assert page.headers["Retry-After"] == "5"
            assert page.mimetype == "text/html"
            text = page.get_data(as_text=True)
            assert "<h1>Data store unavailable</h1>" in text and "Traceback" not in text
            arabic = client.get("/?lang=ar")
            assert arabic.status_code == 503
            assert '<html lang="ar" dir="rtl">' in arabic.get_data(as_text=True)
            assert "مخزن البيانات غير متاح" in arabic.get_data(as_text=True)
            callback = client.post("/_dash-update-component", json={
                "output": "cards.children", "outputs": {"id": "cards", "property": "children"},
                "inputs": [{"id": "state", "property": "data", "value": "?level=2"}],
                "changedPropIds": ["state.data"],
                "state": [{"id": "cards-shown", "property": "data", "value": None}]})  # fmt: skip
            assert callback.status_code == 503
            assert callback.json["error"] == "store_unavailable"
            assert client.get("/health").status_code == 503
            # the store is back: served again, no restart
            dispose_all()
            store_file.unlink(missing_ok=True)  # the empty file a connection attempt made
            (tmp_path / "moved-away.sqlite3").rename(store_file)
            assert client.get("/sources").status_code == 200
            assert client.get("/health").status_code == 200
        finally:
            dispose_all()
            live.clear()
