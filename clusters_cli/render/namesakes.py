"""Namesakes in a table told apart: rows of different entities whose name cells read alike (two cities
Taizhou, three Suzhou) carry what tells them apart, their name in the other language or their province, in the
reader's language. The JSON and the row formats keep the names as they are."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from ..i18n import name_of, paren, remembered_zh_of, zh


def told_apart(rows: Sequence[Mapping[str, Any]], names: list[str]) -> list[str]:
    """Name cells that read alike for different entities, told apart (rank cities showed two rows `Taizhou`,
    search three rows `Suzhou city name`): each followed by its name in the other language where that tells it
    from the others (Taizhou (泰州市), Taizhou (台州市)), else by its province (Chaoyang (Beijing), 朝阳区（吉林省）).
    Only rows of named entities (a `name_zh` field, even empty): a figure's name is its metric, which figures of
    one metric share and their other columns tell apart."""
    groups: dict[str, list[int]] = {}
    for at, (row, name) in enumerate(zip(rows, names, strict=True)):
        if "name_zh" in row:
            groups.setdefault(name, []).append(at)
    out = list(names)
    other = "name" if zh() else "name_zh"
    for name, ats in groups.items():
        if len({str(rows[at].get("id")) for at in ats}) < 2:
            continue
        said = [str(rows[at].get(other) or "") for at in ats]
        for at, word in zip(ats, said, strict=True):
            if word and word != name and said.count(word) == 1:
                out[at] = name + paren(word)
            elif where := _province_named(rows[at].get("province")):
                out[at] = name + paren(where)
    return out


def _province_named(province: Any) -> str:
    """A row's province as the reader reads it: a reference by its name (in Chinese where remembered), a bare id
    (a search hit's) by the Chinese name remembered for it, else the id written as a name."""
    if isinstance(province, Mapping):
        return name_of(province)
    if not province:
        return ""
    return (remembered_zh_of(str(province)) if zh() else None) or str(province).replace("-", " ").title()
