"""What the product ships names no remote host to fetch from: it must work with no internet.

The end-to-end tests prove no request leaves localhost for the pages they open; this checks
the code itself, so a path they do not open (a plotly.js default, a new asset) cannot reach
out either. Links to sources shown as text (ReliefWeb, OCHA documents) live in the data,
not in the code.
"""

from __future__ import annotations

import re
from pathlib import Path

import brotli
import pytest

ROOT = Path(__file__).resolve().parents[2]
#: Hosts a browser would fetch scripts, styles, fonts, tiles or map data from.
REMOTE = re.compile(
    r"https?://(cdn|unpkg|cdnjs|fonts\.googleapis|fonts\.gstatic|api\.mapbox|"
    r"[a-z.]*tile\.openstreetmap|basemaps|demotiles)[^\"'\s]*"
)
SHIPPED = sorted(
    p
    for folder in ("assets", "app", "components")
    for p in (ROOT / folder).rglob("*")
    if p.suffix in {".js", ".css", ".py", ".json"}
)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: str(p.relative_to(ROOT)))
def test_shipped_file_names_no_remote_host(path: Path) -> None:
    found = REMOTE.findall(path.read_text(encoding="utf-8", errors="replace"))
    assert found == [], f"{path.relative_to(ROOT)} names {found}"


def test_the_brotli_copy_is_the_patched_bundle() -> None:
    bundle = ROOT / "assets" / "vendor" / "plotly-nws.min.js"
    br = bundle.with_name(bundle.name + ".br")
    assert brotli.decompress(br.read_bytes()) == bundle.read_bytes()
    assert 'dflt:"/assets/topojson/"' in bundle.read_text(encoding="utf-8")
