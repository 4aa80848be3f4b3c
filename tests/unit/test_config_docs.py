"""The README "Configuration" table and :class:`app.config.Config` must agree (Datasette's
``test_docs.py`` idea): a setting added in code but not documented, or documented but gone
from the code, fails here rather than surprising whoever deploys the dashboard.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from app import config
from app.config import Config, ConfigError, env_variables, from_env

README = Path(__file__).resolve().parents[2] / "README.md"
TYPE_WORDS = {Path: "path", str: "text", int: "integer"}


def _config_table() -> dict[str, dict[str, str]]:
    """Rows of the table under "## Configuration", keyed by variable name (backticks removed)."""
    text = README.read_text(encoding="utf-8")
    match = re.search(r"^## Configuration\n(.*?)(?=^## |\Z)", text, re.M | re.S)
    assert match, "README.md has no '## Configuration' section"
    rows: dict[str, dict[str, str]] = {}
    for line in match.group(1).splitlines():
        if not line.startswith("|") or set(line) <= set("|- "):
            continue
        # split on | not escaped as \| (a literal pipe inside a cell)
        cells = [c.strip().replace("\\|", "|") for c in re.split(r"(?<!\\)\|", line)[1:-1]]
        if cells[0] == "variable":
            assert cells == ["variable", "type", "default", "meaning"], cells
            continue
        rows[cells[0].strip("`")] = dict(
            zip(["type", "default", "meaning"], cells[1:], strict=True)
        )
    return rows


def _type(field: dataclasses.Field) -> type:
    return config._ENV[field.name][1]


def test_every_field_has_an_env_variable_and_back() -> None:
    fields = {f.name for f in dataclasses.fields(Config)}
    assert fields == set(env_variables())


def test_readme_table_lists_exactly_the_settings() -> None:
    documented = set(_config_table())
    in_code = set(env_variables().values())
    assert documented - in_code == set(), "documented in README but not in app.config"
    assert in_code - documented == set(), "in app.config but missing from README Configuration"


@pytest.mark.parametrize("field", dataclasses.fields(Config), ids=lambda f: f.name)
def test_readme_type_and_default_match(field: dataclasses.Field) -> None:
    row = _config_table()[env_variables()[field.name]]
    assert row["type"] == TYPE_WORDS[_type(field)]
    assert row["meaning"], "each setting needs a sentence saying what it does"
    default = field.default
    if isinstance(default, Path):
        folder = default.relative_to(config.PROJECT_ROOT).as_posix()
        assert row["default"] == f"`{folder}/` of the project"
    elif default == "":
        assert row["default"] == "empty"
    else:
        assert row["default"].strip("`") == str(default)


def test_from_env_reads_types() -> None:
    cfg = from_env(
        {
            "NWS_PORT": "9000",
            "NWS_WORKERS": "5",
            "NWS_DATA_DIR": "/tmp/x",
            "NWS_EMBED_ORIGINS": "'self' https://a.example",
        }
    )
    assert (cfg.port, cfg.workers, cfg.data_dir) == (9000, 5, Path("/tmp/x"))
    assert cfg.embed_origins == "'self' https://a.example"
    assert from_env({}) == Config()
    assert from_env({"NWS_PORT": ""}).port == 8050  # empty = unset


@pytest.mark.parametrize("var", ["NWS_PORT", "NWS_WORKERS"])
def test_bad_integer_names_the_variable(var: str) -> None:
    with pytest.raises(ConfigError, match=f"{var}='many': expected int"):
        from_env({var: "many"})


def test_override_is_scoped() -> None:
    before = config.get_config()
    with config.override(workers=7) as cfg:
        assert cfg.workers == 7 and config.get_config().workers == 7
    assert config.get_config() == before
