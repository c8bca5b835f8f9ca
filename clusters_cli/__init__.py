"""clusters: an offline reference to China's industry clusters."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from .store.kb import KB


def load_kb(data: list[str] | str | None = None, **kwargs: Any) -> KB:
    """Load the knowledge base: the shipped packs, plus `data` (a path or list of paths) if given."""
    from .store.cache import load_kb as _load

    return _load(data, **kwargs)


__all__ = ["__version__", "load_kb"]
