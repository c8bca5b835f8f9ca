"""clusters: an offline reference to China's industry clusters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .kb import KB


def load_kb(path: str | None = None, **kwargs: Any) -> KB:
    """Load the knowledge base (the shipped one unless `path` is given)."""
    from .kb import load_kb as _load

    return _load(path, **kwargs)


__all__ = ["__version__", "load_kb"]
