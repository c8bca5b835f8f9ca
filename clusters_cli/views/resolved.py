"""The `resolved` record every view carries: how the query was read (exactly, by a typing slip, by the start of
a name), what it resolved to, and the other places the same words name, each with the command that shows it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..sanitize import clean_one_line
from ..textfold import compact

if TYPE_CHECKING:
    from ..resolver import Match
    from ..store.kb import KB, Entity
    from .types import Homonym, Resolved


def named_by(kb: KB, kind: str, entity: Entity, chinese_names: list[str | None]) -> str:
    """How a command names an entity: its Chinese name when it names that entity alone (no other listed, nor
    any other of its kind: a pack's own sector 汽车 beside the shipped one made `clusters sector 汽车`
    ambiguous), else its id."""
    zh_name = entity.get("name_zh")
    if not zh_name or chinese_names.count(zh_name) != 1:
        return str(entity["id"])
    named = {ident for ident, _stage, _how in kb.keys_equal(kind, compact(str(zh_name)))}
    return str(zh_name) if named == {entity["id"]} else str(entity["id"])


def match_info(kb: KB, match: Match, query: str, kind: str = "") -> Resolved:
    """What the query resolved to, and the other places the same words name, for every output."""
    # the command that shows another place of the name: by its Chinese name, unless another shares it
    shared = [e.get("name_zh") for e in (match.entity, *match.also)]
    return {
        "query": clean_one_line(query, 200),
        "id": match.entity["id"],
        "name": str(match.entity.get("name") or match.entity["id"]),  # a figure, named by no name, by its id
        "matched_by": match.matched_by,
        "score": match.score,
        "slip": match.slip,
        "also": [
            _homonym(kb, e, f"clusters {other} {named_by(kb, other, e, shared)}" if other else "")
            for e, other in zip(match.also, match.also_kinds or [kind] * len(match.also), strict=True)
        ],
    }


def _homonym(kb: KB, e: Entity, command: str) -> Homonym:
    """Another entity the words name, with its province's name where it lies in one (two 南山区, Shenzhen's and
    Hegang's, told apart by it)."""
    other: Homonym = {
        "id": e["id"],
        "name": e["name"],
        "name_zh": e.get("name_zh"),
        "province": e.get("province"),
        "command": command,
    }
    province = kb.get("province", str(e["province"])) if e.get("province") else None
    if province is not None:
        other["province_ref"] = {"id": str(province["id"]), "name": str(province["name"])}
    return other
