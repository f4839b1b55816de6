"""What the service tests share: one cache for the libraries their servers make."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest


@pytest.fixture(scope="module", autouse=True)
def shared_cache(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """One cache for the service tests of a session, apart from the user's.

    The servers and static exports that module-scoped fixtures start make the
    same libraries again and again; one cache makes them once.
    """
    folder = tmp_path_factory.getbasetemp() / "service-cache"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("IMPLIB_CACHE_DIR", str(folder))
        yield folder
