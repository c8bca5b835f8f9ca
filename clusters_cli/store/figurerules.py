"""A figure's own rules, which validation applies to every figure of the packs taken together: a number a float
holds at its scale, a currency figure's currency and scale, a US$ figure checked against its pack's rate, a period
that holds its year, and a series drawn on one scale (its figures share a unit and a currency). Every problem
names its figure (store/validate.py calls `check_figures` once the references are whole)."""

from __future__ import annotations

import math
from typing import Any

from ..errors import Amount, Word
from ..i18n import N_
from ..model import SCALES
from .merged import Merged


def check_figures(m: Merged) -> None:
    """Each figure by its pack's rate and tolerance, then each series by its first figure."""
    for st in m.sections["statistics"]:
        pack, _ = m.at("statistics", st["id"])
        meta = pack.data.get("meta", {})
        _check_statistic(m, st, meta.get("rmb_per_usd"), meta.get("fx_tolerance", 0.02))
    # a series is drawn on one scale: its figures share a unit and a currency (yuan never beside dollars)
    heads: dict[str, dict[str, Any]] = {}
    for st in m.sections["statistics"]:
        if not st.get("series"):
            continue
        held = heads.setdefault(st["series"], st)
        if (st["unit"], st.get("currency")) != (held["unit"], held.get("currency")):
            m.add(
                "statistics",
                st["id"],
                ("series",),
                N_("series '{series}' holds figures in {unit}: this one is in {other}; a series shares one unit"),
                series=st["series"],
                unit=" ".join(str(word) for word in (held["unit"], held.get("currency")) if word),
                other=" ".join(str(word) for word in (st["unit"], st.get("currency")) if word),
            )


# the scales a figure states, marked for the catalog (a problem shows them in the run's language)
_SCALE_WORDS = (N_("thousand"), N_("million"), N_("billion"), N_("trillion"))


def _finite(number: float, factor: float) -> bool:
    """Whether a figure times its scale is a number a float holds (a whole number of 2**1024 and more is none:
    multiplying it raised OverflowError, a traceback out of validate)."""
    try:
        return math.isfinite(number * factor)
    except OverflowError:
        return False


def _check_statistic(m: Merged, st: dict[str, Any], rate: float | None, tolerance: float) -> None:
    def add(field: str, template: str, /, **values: object) -> None:
        m.add("statistics", st["id"], (field,), template, **values)

    for number, scale in (("value", "scale"), ("usd_value", "usd_scale")):
        if number in st and not _finite(st[number], 1.0):  # a whole number of 2**1024 and more: every view that
            # words it in Chinese units, a workbook's cell and a citation failed with a traceback
            add(number, N_("{value} is too large a number to hold"), value=st[number])
            return
        if number in st and st.get(scale) in SCALES and not _finite(st[number], SCALES[st[scale]]):
            # in base units it is no number any export or JSON reader holds (it came out as Infinity)
            add(number, N_("{value} {scale} is too large a number to hold"), value=st[number], scale=Word(st[scale]))
            return
    money = st["unit"] == "currency"
    if money and not ("currency" in st and "scale" in st):
        add("unit", N_("a currency figure needs 'currency' and 'scale'"))
    if not money and ("currency" in st or "usd_value" in st):
        add("currency", N_("only a currency figure may have 'currency' or 'usd_value'"))
    if "usd_value" in st:
        if st.get("currency") != "CNY" or "usd_scale" not in st or "scale" not in st:
            add("usd_value", N_("'usd_value' needs a CNY figure with 'scale' and 'usd_scale'"))
            return
        if rate is None:
            add("usd_value", N_("a US$ conversion needs the pack's meta.rmb_per_usd to check it against"))
            return
        implied = st["value"] * SCALES[st["scale"]] / (st["usd_value"] * SCALES[st["usd_scale"]])
        if abs(implied - rate) / rate > tolerance:
            add(
                "usd_value",
                N_(
                    "RMB {amount} and US${usd_amount} imply {implied} yuan per dollar; "
                    "the knowledge base's rate is {rate} (tolerance {tolerance})"
                ),
                amount=Amount(st["value"], st["scale"], "CNY"),
                usd_amount=Amount(st["usd_value"], st["usd_scale"], "USD"),
                implied=f"{implied:.2f}",
                rate=rate,
                tolerance=f"{tolerance:.0%}",
            )
    if "period" in st:
        start, end = (int(y) for y in st["period"].split("-"))
        if not start <= st["year"] <= end or start > end:
            add("period", N_("period {period} does not contain year {year}"), period=st["period"], year=st["year"])
