"""Every setting is bounded, a value outside its bounds stops every command with exit 2 and
one line naming the variable (never a traceback, never a server that hangs), and the
README's "Bounds:" text is the code's (issue 16, point 6).

The CLI cases run ``python -m app`` as a subprocess, as an operator would.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from app.config import Config, ConfigError, check_paths, env_variables, from_env
from app.config_bounds import BOUNDS

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"


def _readme_rows() -> dict[str, str]:
    text = README.read_text(encoding="utf-8")
    section = re.search(r"^## Configuration\n(.*?)(?=^## )", text, re.M | re.S)
    assert section
    return {
        m.group(1): m.group(2)
        for m in re.finditer(r"^\| `(NWS_[A-Z_]+)` \|(.*)\|$", section.group(1), re.M)
    }


def test_every_setting_has_a_bound_and_the_readme_says_it() -> None:
    assert set(BOUNDS) == set(env_variables())
    rows = _readme_rows()
    for field, var in env_variables().items():
        assert f"Bounds: {BOUNDS[field].text}." in rows[var], var


def test_the_defaults_are_within_bounds() -> None:
    assert from_env({}) == Config()


@pytest.mark.parametrize(
    ("var", "value", "message"),
    [
        ("NWS_WORKERS", "0", "NWS_WORKERS=0"),
        ("NWS_WORKERS", "0", "expected 1 to 64"),
        ("NWS_WORKERS", "100000", "NWS_WORKERS=100000: expected 1 to 64"),
        ("NWS_THREADS", "0", "NWS_THREADS=0: expected 1 to 64"),
        ("NWS_THREADS", "100000", "NWS_THREADS=100000: expected 1 to 64"),
        ("NWS_PORT", "0", "NWS_PORT=0: expected 1 to 65535"),
        ("NWS_PORT", "70000", "NWS_PORT=70000: expected 1 to 65535"),
        ("NWS_PORT", "-1", "NWS_PORT=-1: expected 1 to 65535"),
        ("NWS_PORT", "http", "NWS_PORT='http': expected int"),
        ("NWS_HEADLINE_WINDOW_DAYS", "-1", "NWS_HEADLINE_WINDOW_DAYS=-1: expected 0 to 3650"),
        ("NWS_HEADLINE_WINDOW_DAYS", "99999", "NWS_HEADLINE_WINDOW_DAYS=99999"),
        ("NWS_MAX_UPLOAD_MB", "0", "NWS_MAX_UPLOAD_MB=0: expected 1 to 1024"),
        ("NWS_MAX_UPLOAD_MB", "1000000", "NWS_MAX_UPLOAD_MB=1000000: expected 1 to 1024"),
        ("NWS_PROXIES", "-1", "NWS_PROXIES=-1: expected 0 to 10"),
        ("NWS_PROXIES", "100", "NWS_PROXIES=100: expected 0 to 10"),
        ("NWS_EMBED_ORIGINS", "javascript:", "NWS_EMBED_ORIGINS"),
        ("NWS_EMBED_ORIGINS", "http:", "'http:' is not an origin"),
        ("NWS_EMBED_ORIGINS", "data:", "'data:' is not an origin"),
        ("NWS_EMBED_ORIGINS", "https://a.org:70000", "'https://a.org:70000' is not an origin"),
        ("NWS_WORKER_CLASS", "sync", "NWS_WORKER_CLASS='sync': expected gevent, gthread"),
        ("NWS_COOKIE_SECURE", "yes", "NWS_COOKIE_SECURE='yes': expected auto, always, never"),
        ("NWS_HOST", "127.0.0.1; rm", "NWS_HOST='127.0.0.1; rm': expected a host name"),
        ("NWS_HOST", "-bad", "NWS_HOST='-bad'"),
        ("NWS_PUBLISHER_PRIORITY", "OCHA||UNHCR", "NWS_PUBLISHER_PRIORITY='OCHA||UNHCR'"),
        ("NWS_PUBLISHER_PRIORITY", "|".join(f"P{i}" for i in range(101)), "101 publishers"),
        ("NWS_DATABASE_URL", "mysql://u:pw@db/nws", "not mysql"),
        ("NWS_DATABASE_URL", "not a url", "not a database URL"),
        ("NWS_REDIS_URL", "http://cache:6379/0", "expected redis://"),
        ("NWS_REDIS_URL", "redis://cache:99999/0", "not a Redis URL"),
        ("NWS_SECRET_KEY", "short", "NWS_SECRET_KEY has 5 characters; expected at least 32"),
    ],
)
def test_out_of_bounds_names_the_variable(var: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        from_env({var: value})
    text = str(info.value)
    assert message in text and "\n" not in text
    if var == "NWS_SECRET_KEY":
        assert value not in text  # a secret is never echoed
    if var == "NWS_DATABASE_URL":
        assert "pw" not in text


@pytest.mark.parametrize(
    ("var", "value"),
    [
        ("NWS_PORT", "1"),
        ("NWS_PORT", "65535"),
        ("NWS_WORKERS", "64"),
        ("NWS_HEADLINE_WINDOW_DAYS", "0"),
        ("NWS_EMBED_ORIGINS", "'self' https://*.example.org https: http://127.0.0.1:*"),
        ("NWS_HOST", "0.0.0.0"),
        ("NWS_HOST", "::1"),
        ("NWS_HOST", "dash.example.org"),
        ("NWS_DATABASE_URL", "postgresql+psycopg://nws@db.internal/nws"),
        ("NWS_DATABASE_URL", "sqlite:////var/lib/nws/store.sqlite3"),
        ("NWS_REDIS_URL", "redis://127.0.0.1:6379/0"),
        ("NWS_REDIS_URL", "unix:///run/redis.sock"),
        ("NWS_WORKER_CLASS", "gthread"),
    ],
)
def test_within_bounds(var: str, value: str) -> None:
    from_env({var: value})


def test_paths(tmp_path: Path) -> None:
    good = Config(workspace=tmp_path / "workspace", cache_dir=str(tmp_path / "cache"))
    check_paths(good)  # missing, in a writable folder: made on first use
    assert not (tmp_path / "workspace").exists()  # the check makes nothing
    cases = [
        (Config(data_dir=tmp_path / "nowhere"), "NWS_DATA_DIR=", "no such folder"),
        (Config(data_dir=tmp_path), "NWS_DATA_DIR=", "not a data bundle"),
        (
            Config(cache_dir="/nonexistent/nws/cache"),
            "NWS_CACHE_DIR='/nonexistent/nws/cache'",
            "no such folder",
        ),
        (Config(workspace=tmp_path / "a" / "b"), "NWS_WORKSPACE=", "no such folder"),
    ]
    (tmp_path / "file").write_text("madeup_not_a_folder")
    cases.append((Config(cache_dir=str(tmp_path / "file")), "NWS_CACHE_DIR=", "not a folder"))
    for cfg, var, why in cases:
        with pytest.raises(ConfigError) as info:
            check_paths(cfg)
        assert var in str(info.value) and why in str(info.value)


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith("NWS_")}
    return subprocess.run(
        [sys.executable, "-m", "app", *args], cwd=ROOT, env={**base, **env},
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip


CLI_CASES = [
    ({"NWS_WORKERS": "0"}, "NWS_WORKERS"),
    ({"NWS_WORKERS": "100000"}, "NWS_WORKERS"),
    ({"NWS_THREADS": "0"}, "NWS_THREADS"),
    ({"NWS_THREADS": "100000"}, "NWS_THREADS"),
    ({"NWS_DATA_DIR": "/nonexistent/nws-data"}, "NWS_DATA_DIR"),
    ({"NWS_CACHE_DIR": "/nonexistent/nws-cache"}, "NWS_CACHE_DIR"),
    ({"NWS_PORT": "70000"}, "NWS_PORT"),
    ({"NWS_PORT": "0"}, "NWS_PORT"),
    ({"NWS_EMBED_ORIGINS": "javascript:"}, "NWS_EMBED_ORIGINS"),
    ({"NWS_EMBED_ORIGINS": "http:"}, "NWS_EMBED_ORIGINS"),
    ({"NWS_HEADLINE_WINDOW_DAYS": "-3"}, "NWS_HEADLINE_WINDOW_DAYS"),
    ({"NWS_MAX_UPLOAD_MB": "0"}, "NWS_MAX_UPLOAD_MB"),
    ({"NWS_WORKER_CLASS": "eventlet"}, "NWS_WORKER_CLASS"),
]


@pytest.mark.parametrize("prod", [False, True], ids=["serve", "serve --prod"])
@pytest.mark.parametrize(("env", "var"), CLI_CASES, ids=[v for _, v in CLI_CASES])
def test_serve_exits_2_naming_the_variable(env: dict[str, str], var: str, prod: bool) -> None:
    out = _run(["serve", *(["--prod"] if prod else [])], **env)
    assert out.returncode == 2, out.stderr[-500:]
    assert out.stderr.startswith("configuration error: ") and var in out.stderr
    assert out.stderr.count("\n") == 1 and "Traceback" not in out.stderr
    assert out.stdout == ""  # nothing started


@pytest.mark.parametrize("args", [["serve", "--port", "0"], ["serve", "--prod", "--port", "70000"]])
def test_port_flag_is_bounded_too(args: list[str]) -> None:
    out = _run(args)
    assert out.returncode == 2 and "configuration error: --port=" in out.stderr
    assert "expected 1 to 65535" in out.stderr and "Traceback" not in out.stderr


@pytest.mark.parametrize(
    "args",
    [["imports"], ["validate", "tests/fixtures/canonical_figures_sample.csv"], ["db", "current"]],
)
def test_other_commands_exit_2_too(args: list[str]) -> None:
    out = _run(args, NWS_WORKERS="0", NWS_DATA_DIR="/nonexistent/nws-data")
    assert out.returncode == 2 and "configuration error: NWS_WORKERS=0" in out.stderr
    out = _run(args, NWS_DATA_DIR="/nonexistent/nws-data")
    assert out.returncode == 2 and "configuration error: NWS_DATA_DIR=" in out.stderr
    assert "Traceback" not in out.stderr
