"""The words of the national lists (designations): a batch's name (first batch, 第一批; 2022年批次 in Chinese),
how much of each batch is held, who issues a list, and the line a cluster's panel gives each list it is on.
Read by the detail views (render/detail.py) and the list of lists (`list designations`, render/table.py)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ..i18n import _, name_of, paren, value_word, zh
from .parts import cited

if TYPE_CHECKING:
    from ..views.types import DesignationInfo, DesignationRef


def batch_name(batch: str) -> str:
    """A batch as a list of batches names it: an ordinal the catalog words with its noun ('first batch', 第一批:
    a bare 第一 read as 'number one'); a year as it is (in Chinese 2022年); 'listed' or any other name as it is."""
    if batch in ORDINAL_BATCHES:
        return _("{batch} batch").format(batch=value_word(batch))
    return year_text(batch) if batch.isdigit() and len(batch) == 4 else value_word(batch)


def year_text(year: object) -> str:
    """A year alone: 2019; in Chinese 2019年."""
    return f"{year}年" if zh() else str(year)


ORDINAL_BATCHES = frozenset({"first"})  # the batch names value_word words as ordinals (i18n.py)


def batches_text(batches: list[Any], *, years: bool = False) -> str:
    """How much of each batch of a list is held ('2022: 44 of 45; first (2013): 10 of 10'), in the run's
    language; with `years`, a batch's year where its name is not one."""
    of = _("{held} of {members}")
    return _("; ").join(
        batch_name(b["batch"])
        + (paren(year_text(b["year"])) if years and b["year"] and str(b["year"]) != b["batch"] else "")
        + _(": ")
        + (of.format(held=b["held"], members=b["members"]) if b["members"] is not None else str(b["held"]))
        for b in batches
    )


def issuer_of(d: DesignationRef | DesignationInfo) -> str:
    """Who issues a list, in Chinese where the data has its Chinese name and the run is in Chinese."""
    return (d["issuer_zh"] if zh() else None) or d["issuer"]


def designation_line(d: DesignationRef) -> str:
    """A list a cluster is on, as its panel gives it: name (issuer), batch, year · where it is said."""
    year = _(", ") + year_text(d["year"]) if d["year"] and str(d["year"]) != d["batch"] else ""
    # "batch 2022" (2022年批次), "first batch" (第一批); a list without batches names its members "listed"
    if d["batch"] == "listed":
        batch = _("listed")
    elif d["batch"] in ORDINAL_BATCHES:
        batch = batch_name(d["batch"])
    else:
        batch = _("batch {batch}").format(batch=batch_name(d["batch"]))
    return name_of(d) + paren(issuer_of(d)) + _(", ") + f"{batch}{year} · {cited(d['cited']['text'])}"
