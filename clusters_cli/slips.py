"""Typing slips: whether a query is a name mistyped, and which slip it is.

The rules (README, "How queries are matched"), on the compact forms of query and name (case, accents,
spaces, apostrophes and hyphens are already folded away, so those slips are exact matches):

- two adjacent letters swapped (Anhiu for Anhui), in a query of 3 letters or more;
- in a query of 5 letters or more: one letter dropped (Beijng), added (Hefeii) or doubled (Shanghaai),
  n for ng or ng for n (Guandong), an h dropped after z, c or s (Shenzen, Hangzou);
- in a query of 6 letters or more: one letter replaced (Chongquing is two slips and is not one).

Anything else is another word: a short word changed by more than a swap (wine is not wind), a word and a
longer word (glass is not glasses), an acronym and another (SMIC is not SAIC: acronyms match exactly).
"""

from __future__ import annotations

from collections.abc import Iterable

from .i18n import N_

SWAP = N_("two letters swapped")
DROPPED = N_("a letter left out")
ADDED = N_("a letter too many")
DOUBLED = N_("a letter doubled")
NG = N_("n and ng confused")
H_DROPPED = N_("an h left out after z, c or s")
REPLACED = N_("one letter mistyped")

# When a query is one slip from several places, the likelier slip wins: the slips of pinyin first (Shenzen
# is Shenzhen with its h left out, rather than Shenze with an n too many), then a swap, a letter doubled, left
# out, added, and last a letter mistyped.
STRENGTH = {H_DROPPED: 0, NG: 0, SWAP: 1, DOUBLED: 2, DROPPED: 3, ADDED: 4, REPLACED: 5}


def closest(word: str, choices: Iterable[str], cutoff: float = 0.75) -> str | None:
    """The choice a misspelt word of a closed list is close to, by difflib's ratio (a pack's field `sectro`:
    sector; `status: establised`: established; `--format bibtx`: bibtex), or None. Not for names: those are
    read by the slips below."""
    import difflib

    close = difflib.get_close_matches(word, sorted(choices), n=1, cutoff=cutoff)
    return close[0] if close else None


def is_acronym(query: str) -> bool:
    """An acronym as typed: capitals only, two to five letters (SMIC, MIIT, NEV, CATL)."""
    text = query.strip()
    return 2 <= len(text) <= 5 and text.isascii() and text.isalpha() and text.isupper()


def slip(query: str, name: str) -> str | None:
    """The slip that turns `name` into `query` (both compact forms), or None when `query` is not `name`
    mistyped by one slip of the rules above."""
    if query == name or not query.isascii() or not name.isascii():
        return None
    n, m = len(query), len(name)
    if n == m:
        diffs = [i for i in range(n) if query[i] != name[i]]
        if len(diffs) == 2 and diffs[1] == diffs[0] + 1 and n >= 3:
            i = diffs[0]
            if query[i] == name[i + 1] and query[i + 1] == name[i]:
                return SWAP
        if len(diffs) == 1 and n >= 6 and query[diffs[0]].isalpha() and name[diffs[0]].isalpha():
            return REPLACED
        return None
    if n < 5 or abs(n - m) != 1:
        return None
    longer, shorter = (name, query) if m > n else (query, name)
    at = next((i for i in range(len(shorter)) if shorter[i] != longer[i]), len(shorter))
    if longer[:at] + longer[at + 1 :] != shorter:
        return None
    letter = longer[at]
    if not letter.isalpha():
        return None
    if m > n:  # the query lacks a letter of the name
        if letter == "g" and at > 0 and longer[at - 1] == "n":
            return NG
        if letter == "h" and at > 0 and longer[at - 1] in "zcs":
            return H_DROPPED
        return DROPPED
    if letter == "g" and at > 0 and longer[at - 1] == "n":  # the query has a letter the name lacks
        return NG
    if (at > 0 and longer[at - 1] == letter) or (at + 1 < len(longer) and longer[at + 1] == letter):
        return DOUBLED
    return ADDED
