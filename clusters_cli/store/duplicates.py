"""The clusters two packs seem to describe under two ids: warned of by `validate`, never refused (a pair
reviewed as one joins by `same_as`, a pair reviewed as two says `distinct_from`)."""

from __future__ import annotations

from typing import Any

from ..errors import Problem, Word
from ..i18n import N_
from .merged import Merged, Pack


def duplicate_warnings(packs: list[Pack]) -> list[Problem]:
    """Clusters of different packs that look like one cluster under two ids: the same Chinese name, the same
    English name (a last word "cluster" aside), or the same main sector in the same set of cities, or, for one
    naming no city, of provinces (MIIT's Beijing-Tianjin-Hebei IC cluster and the article's)."""
    m = Merged(packs)
    seen: dict[tuple[str, ...], dict[str, Any]] = {}
    warnings = []
    for cl in m.sections["clusters"]:
        pack, _ = m.at("clusters", cl["id"])
        keys = [("name", _plain(cl["name"]).removesuffix("cluster"))]
        if cl.get("name_zh"):
            keys.append(("name_zh", _plain(cl["name_zh"])))
        if cl.get("cities"):
            keys.append(("place", cl["sector"], *sorted(cl["cities"])))
        elif cl.get("provinces"):
            keys.append(("provinces", cl["sector"], *sorted(cl["provinces"])))
        for key in keys:
            first = seen.setdefault(key, cl)
            other_pack, _ = m.at("clusters", first["id"])
            marks = (*cl.get("distinct_from", []), cl.get("same_as"))
            reviewed = first["id"] in marks or cl["id"] in (*first.get("distinct_from", []), first.get("same_as"))
            if first is not cl and other_pack is not pack and not reviewed:
                what = {
                    "name": N_("the same name"),
                    "name_zh": N_("the same Chinese name"),
                    "provinces": N_("the same sector and provinces"),
                }.get(key[0], N_("the same sector and cities"))
                problem = pack.problem(
                    m.at("clusters", cl["id"])[1],
                    N_(
                        "may describe the same cluster as '{id}' in {path} ({what}); "
                        "give one entry several sources instead"
                    ),
                    id=first["id"],
                    path=other_pack.path,
                    what=Word(what),
                )
                warnings.append(problem)
                break
    return warnings


def _plain(text: str) -> str:
    return "".join(ch for ch in text.lower() if ch.isalnum())
