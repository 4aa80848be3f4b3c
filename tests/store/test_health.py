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
