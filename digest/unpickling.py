"""Reading back what this code pickled earlier, where a damaged entry is a miss, not an error."""

from __future__ import annotations

import pickle
from typing import Any


def unpickle(data: bytes | None) -> Any:
    """What ``data`` holds; None for no data, or for data damaged or pickled by other code
    (the build cache outlives the code that wrote it)."""
    if data is None:
        return None
    try:
        return pickle.loads(data)
    except (pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None
