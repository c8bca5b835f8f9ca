"""Escaping for the one markup context we write: HTML and SVG, text and attribute values alike.

`html.escape(..., quote=True)` escapes &, <, > and both quotes, so a name holding `" onmouseover="...` stays
inside its attribute and `</script>` stays text. (`xml.sax.saxutils.escape` leaves quotes alone, which let a
city's name close an attribute and open an event handler.) Every string from the data that reaches a page goes
through `esc`; numbers the renderer computes itself need not.
"""

from __future__ import annotations

import html


def esc(value: object) -> str:
    """Text safe in HTML or SVG element content and in double- or single-quoted attribute values."""
    return html.escape(str(value), quote=True)
