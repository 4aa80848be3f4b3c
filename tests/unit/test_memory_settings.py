"""The memory settings made when ``app`` is imported (``app/__init__.py``): Arrow on the C
library's allocator unless the environment says otherwise. Checked in a fresh interpreter,
since the setting only counts before pyarrow first allocates."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

PROBE = "import app, pyarrow as pa; print(pa.default_memory_pool().backend_name)"


def _backend(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if env_value is not None:
        env["ARROW_DEFAULT_MEMORY_POOL"] = env_value
    out = subprocess.run([sys.executable, "-c", PROBE], env=env, capture_output=True,
                         text=True, check=True)  # fmt: skip
    return out.stdout.strip()


def test_arrow_allocates_from_malloc_by_default() -> None:
    assert _backend(None) == "system"


def test_a_pool_chosen_in_the_environment_is_kept() -> None:
    import pyarrow as pa

    if "mimalloc" not in pa.supported_memory_backends():
        pytest.skip("this pyarrow has no mimalloc")
    assert _backend("mimalloc") == "mimalloc"
