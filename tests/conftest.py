import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("DOCKERLS_SHARED", ROOT.parent / "shared"))


def shared_corpus(*parts: str) -> Path:
    """A folder of ../shared/corpus; the test is skipped (with the reason) when it is absent."""
    path = SHARED.joinpath("corpus", *parts)
    if not path.is_dir():
        pytest.skip(f"{path} is not here (the shared corpus sits beside the repository on developer machines)")
    return path
