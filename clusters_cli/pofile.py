"""The gettext catalog's two files, read and written without Babel (which only the translators' script needs):
the .po, the translators' text, read into msgid -> msgstr (`read_po`), and the .mo, the binary stdlib gettext
reads, written from it (`write_mo`: by the wheel's build hook, or on a source checkout's first Chinese run,
i18n._compiled_dir).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path

_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


_ESCAPE = r"(?s)\\(.)"


def _unquote(text: str) -> str:
    """A .po string's text: the quotes taken off and its escapes (\\n, \\t, \\", \\\\) read, left to right (a
    backslash ending the text stays)."""
    body = text.strip()[1:-1]
    return re.sub(_ESCAPE, lambda m: _ESCAPES.get(m[1], m[1]), body) if "\\" in body else body


def read_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr of a .po file (translated entries only; the header and fuzzy entries left out)."""
    out: dict[str, str] = {}
    if not path.exists():
        return out
    msgid: list[str] = []
    msgstr: list[str] = []
    msgctxt: list[str] = []
    target: list[str] | None = None
    fuzzy = False

    def flush() -> None:
        key, value = "".join(msgid), "".join(msgstr)
        if msgctxt:  # gettext's key of a message in a context
            key = "".join(msgctxt) + "\x04" + key
        if key and value and not fuzzy:
            out[key] = value

    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        elif line.startswith("msgctxt "):
            flush()
            msgctxt, msgid, msgstr = [_unquote(line[8:])], [], []
            target = msgctxt
        elif line.startswith("msgid "):
            if not msgctxt or msgid:
                flush()
                msgctxt = [] if msgid else msgctxt
            msgid, msgstr = [_unquote(line[6:])], []
            target = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            target = msgstr
        elif line.startswith('"') and target is not None:
            target.append(_unquote(line))
        elif not line.strip():
            flush()
            msgid, msgstr, msgctxt, target, fuzzy = [], [], [], None, False
    flush()
    return out


def write_mo(catalog: Mapping[str, str], path: Path) -> None:
    """A GNU .mo file of the catalog (the format stdlib gettext reads), keys sorted as msgfmt sorts them."""
    import struct  # only when a catalog is compiled (the build, or a checkout's first Chinese run)

    keys = sorted(catalog)
    ids = b"".join(k.encode("utf-8") + b"\0" for k in keys)
    strs = b"".join(catalog[k].encode("utf-8") + b"\0" for k in keys)
    header = {"": "Content-Type: text/plain; charset=UTF-8\n"}
    keys = ["", *keys]
    ids = b"\0" + ids
    strs = header[""].encode("utf-8") + b"\0" + strs
    offsets: list[tuple[int, int, int, int]] = []
    id_at = str_at = 0
    for k in keys:
        value = header[""] if k == "" else catalog[k]
        kid, kstr = k.encode("utf-8"), value.encode("utf-8")
        offsets.append((len(kid), id_at, len(kstr), str_at))
        id_at += len(kid) + 1
        str_at += len(kstr) + 1
    n = len(keys)
    keystart = 7 * 4 + 16 * n
    valuestart = keystart + len(ids)
    table = b"".join(struct.pack("<2I", length, keystart + at) for length, at, _, _ in offsets)
    table += b"".join(struct.pack("<2I", length, valuestart + at) for _, _, length, at in offsets)
    head = struct.pack("<7I", 0x950412DE, 0, n, 7 * 4, 7 * 4 + n * 8, 0, 0)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(head + table + ids + strs)
    os.replace(tmp, path)
