"""The largest pack the tool reads, read from the environment on every run (a warm one compares each pack's
size with it too: store/cache.py), without importing the YAML parser."""

from __future__ import annotations

import os

from ..errors import UsageProblem

MAX_BYTES_DEFAULT = 32 * 1024 * 1024


def max_bytes() -> int:
    """The largest pack read, in bytes: CLUSTERS_MAX_BYTES, else MAX_BYTES_DEFAULT. A setting that is not a
    whole number of bytes is a usage problem, said as such (never a traceback, never quietly the default)."""
    setting = os.environ.get("CLUSTERS_MAX_BYTES", "").strip()
    if not setting:
        return MAX_BYTES_DEFAULT
    if not setting.isdigit() or not setting.isascii():
        from ..i18n import _
        from ..sanitize import clean_one_line

        message = _("CLUSTERS_MAX_BYTES must be a whole number of bytes (such as 67108864), not '{value}'")
        raise UsageProblem(message.format(value=clean_one_line(setting)))
    return int(setting)
