"""Build data/ from ../shared/data and reference/ (see app/bundle/build.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.bundle.build import build  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--reference", type=Path, default=ROOT / "reference")
    parser.add_argument("--out", type=Path, default=ROOT / "data")
    args = parser.parse_args()
    report = build(args.shared, args.reference, args.out)
    print("\n".join(report.lines()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
