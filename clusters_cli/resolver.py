"""Names of one kind read through the knowledge base's name keys: the Resolver, whose stages resolve.py
runs in order (exact names, Chinese and pinyin forms, a prefix, an inflection, a typing slip, a close
spelling to suggest), and the Match each reading gives. What a query means across kinds (a name another kind
holds, a namesake named beside the place read, the division left out) is resolve.py's."""

from __future__ import annotations

import re
import unicodedata
import weakref
from collections.abc import Iterable
from typing import TYPE_CHECKING

from .errors import AMBIGUOUS_SHOWN, Ambiguous, UsageProblem
from .i18n import _, kind_word, name_of, paren, zh
from .kinds import adapter
from .model import KINDS
from .sanitize import clean_one_line
from .slips import STRENGTH, is_acronym, slip
from .textfold import compact, index_forms, simplified, strip_accents, toned, tones_agree, words

if TYPE_CHECKING:
    from .store.kb import KB, Entity

SUGGEST_CUTOFF = 55.0

_SYLLABLE_MARKS = str.maketrans("", "", "'’‘")


def _whole_words(text: str) -> list[str]:
    """A name's words for the prefix rule: an apostrophe parts pinyin syllables, not words (Guang'an is one
    word, so 'guang' is not the start of a word of it)."""
    return words(text.translate(_SYLLABLE_MARKS))


_LATIN_WITH_SUFFIX = re.compile(r"([a-z0-9]+)(?:省|市|自治区|地区|县|区|盟|旗)")
# a name, then a word for its kind of division, apart by a space (`Hefei City`, `Guangdong Sheng`; a hyphen joins:
# Wu-Chang-Shi is a name): Resolver._kind_word, with the words each kind's adapter lists (kind_words)
# (the word's tone marks are dropped: `Shǎnxī Shěng`)
# the ids a prefix is read for (Resolver.prefixed): a query several start is ambiguous, and its error names ten
PREFIXED_READ = 50
_TRAILING_WORD = re.compile(r"(.*\S)\s+([^\W\d_]+)")


class Match:
    __slots__ = ("also", "also_kinds", "entity", "matched_by", "score", "slip")

    def __init__(
        self,
        entity: Entity,
        matched_by: str,
        score: float = 100.0,
        also: list[Entity] | None = None,
        slip: str | None = None,
        also_kinds: list[str] | None = None,
    ) -> None:
        self.entity = entity
        self.matched_by = matched_by  # name, alias, Chinese name, abbreviation, pinyin, prefix, slip...
        self.score = score
        self.also = also or []  # other entities the same words name (homonyms), not chosen
        self.slip = slip  # for a typing slip: which (slips.py)
        # the kind of each of `also` where it is not the kind asked (a province one slip away from a city)
        self.also_kinds = also_kinds or []

    def naming(self, kind: str, others: Iterable[tuple[str, Entity]]) -> Match:
        """This reading with other entities (kind, entity) named beside it in `also`, each once: those it names
        already, and itself, are not named again (one place under two kinds, Beijing, is one place). `kind`
        is the kind this reading is of (the kind of `also` where `also_kinds` leaves it unsaid)."""
        named = {self.entity["id"], *(e["id"] for e in self.also)}
        also, kinds = list(self.also), list(self.also_kinds or [kind] * len(self.also))
        for other_kind, other in others:
            if other["id"] not in named:
                named.add(other["id"])
                also.append(other)
                kinds.append(other_kind)
        if len(also) == len(self.also):
            return self
        return Match(self.entity, self.matched_by, self.score, also=also, slip=self.slip, also_kinds=kinds)


# each knowledge base's slips, by kind and key (Resolver.slips), let go with the knowledge base
_SLIPS: weakref.WeakKeyDictionary[KB, dict[tuple[str, str], list[tuple[str, str, float, str]]]] = (
    weakref.WeakKeyDictionary()
)


class Resolver:
    """Resolves queries to entities of one kind, through the knowledge base's name keys."""

    def __init__(self, kb: KB, kind: str) -> None:
        self.kb = kb
        self.kind = kind

    def label(self, ident: str) -> str:
        e = self.kb.get(self.kind, ident) or {"name": ident}
        province = self.kb.get("province", adapter(self.kind).province_of(self.kb, e)) if "id" in e else None
        where = f", {province['name']}" if province and province["id"] != e.get("id") else ""
        read_by = KINDS[self.kind].label  # a kind read by a field many share (a figure's metric), not a name:
        if read_by != "name":  # the id tells them apart (and is what cite takes), that field beside it
            return f"{ident} ({e.get(read_by)})"
        name = e.get("name") or ident
        if zh() and e.get("name_zh"):  # Chinese first, as every Chinese view names things
            where = f"，{name_of(province)}" if province and province["id"] != e.get("id") else ""
            return str(e["name_zh"]) + paren(f"{name}{where}")
        return f"{name} ({e['name_zh']}{where})" if e.get("name_zh") else str(name)

    def labels(self, idents: list[str], *, ids: bool = False) -> list[str]:
        """Each entity's label, with its id where two labels read alike (two clusters of one name in two
        packs: the id is what tells them apart, and what a command takes), or with every id (`ids`: the
        candidates of an ambiguous name, each of which the user must be able to name; four districts named
        Gulou share their Chinese name too)."""
        shown = [self.label(i) for i in idents]
        return [
            f"{text} [{i}]" if ids or shown.count(text) > 1 else text for text, i in zip(shown, idents, strict=True)
        ]

    def _entity(self, ident: str) -> Entity:
        entity = self.kb.get(self.kind, ident)
        assert entity is not None, ident  # keys and entities come from one build
        return entity

    def exact(self, query: str, as_id: bool = True, fits: frozenset[str] | None = None) -> Match | None:
        """Stages 1-3 only; None when nothing matches exactly.

        Tone-marked pinyin is compared with its tones first (Sùzhōu is 宿州, never 苏州). A name shared by
        several places (Suzhou: 苏州 and 宿州) goes to the one the homonym policy prefers, with the others
        in `also`; where the policy cannot decide, Ambiguous. With `fits`, only places of those kinds of
        division are read (a kind word typed after the name: `Fengtai Xian` is 凤台县 alone).
        """
        slot: list[tuple[str, int, str]] = []
        tone_key = toned(query)
        if tone_key:
            slot = self.kb.keys_equal(self.kind, tone_key)
        if not slot:
            key = compact(query)
            slot = self.kb.keys_equal(self.kind, key) if key else []
            if tone_key and len({row[0] for row in slot}) > 1:  # tones typed tell a shared name's places apart
                # (Shǎnxi: 陕西, Shǎnxī, never 山西, Shānxī); a name one place holds is read whatever its tones
                agreeing = [row for row in slot if self._tones_may_be(tone_key, row[0])]
                slot = agreeing or slot  # tones that fit none leave the name's policy to answer, said as ever
        if not slot and not query.isascii():  # traditional characters: 廣東 is 广东
            folded = compact(simplified(query))
            slot = self.kb.keys_equal(self.kind, folded) if folded and folded != compact(query) else []
            latin = _LATIN_WITH_SUFFIX.fullmatch(folded)
            if not slot and latin:  # a Latin name with a Chinese suffix: Anhui省
                slot = self.kb.keys_equal(self.kind, latin.group(1))
        if fits is not None:
            slot = [row for row in slot if self._entity(row[0]).get("kind") in fits]
        elif tone_key and slot:  # `Shǎnxī Province`: the tones name 陕西, the letters 山西's official name
            toned_reading = self._tones_name_another(query, as_id, {row[0] for row in slot})
            if toned_reading is not None:
                return toned_reading
        if not slot:
            return self._without_kind_word(query, as_id) if fits is None else None
        best = min(stage for _, stage, _ in slot)
        winners = sorted({i for i, stage, _ in slot if stage == best})
        typed = query.strip()
        # an id typed exactly (as every view and export gives it) is that entity, not a tie; the others the same
        # words name are still named in `also` (`taizhou` is 泰州's id, and 台州 is Taizhou too)
        by_id = as_id and len(winners) > 1 and typed in winners
        if not by_id and len(winners) > 1:  # a name typed is that name's entity, not one whose id folds alike
            named = [i for i in winners if any(h != "id" for j, stage, h in slot if j == i and stage == best)]
            winners = [*named, *(i for i in winners if i not in named)] if len(named) == 1 else winners
            by_name = len(named) == 1
        else:
            by_name = False
        chosen = typed if by_id else winners[0] if len(winners) == 1 or by_name else self.preferred(winners)
        if chosen is None:
            raise Ambiguous(self.kind, clean_one_line(query), self.labels(winners, ids=True))
        how = "id" if by_id else next(h for i, stage, h in slot if i == chosen and stage == best)
        also = [self._entity(i) for i in winners if i != chosen]
        return Match(self._entity(chosen), how, also=also)

    def _without_kind_word(self, query: str, as_id: bool) -> Match | None:
        """A name followed by an English or pinyin word for its kind of division (`Hefei City`, `Jilin City`,
        `Guangdong Sheng`), read as the name, where the name with it matches nothing: the word says which kind
        is meant, so only a word of the kind asked is dropped (`province Jilin City` is not the province)."""
        found = self._kind_word(query)
        if found is None:
            return None
        name, kinds = found
        try:  # among the places of the name, those the word fits: `Dalian County` is none, `Fengtai Xian` 凤台县
            return self.exact(name, as_id, fits=kinds)
        except Ambiguous as tie:  # said of what was typed (`Taizhou City`), not of the name without its word
            raise Ambiguous(tie.kind, clean_one_line(query), tie.candidates) from None

    def _tones_name_another(self, query: str, as_id: bool, held: set[str]) -> Match | None:
        """Where tone-marked pinyin is followed by a word for a kind of division, and those tones fit none of
        the places the letters name read without them, but a place of that kind the name alone names: that
        place, with the others beside it (`Shǎnxī Province`: Shǎnxī is 陕西, while "Shanxi Province" is 山西's
        official name). None where the tones may be one of those (`Shānxī Province` is 山西)."""
        found = self._kind_word(query)
        key = toned(found[0]) if found else ""
        if not key or any(self._tones_may_be(key, ident) for ident in held):
            return None
        match = self._without_kind_word(query, as_id)
        if match is None or match.entity["id"] in held or not self._tones_held(key, str(match.entity["id"])):
            return None
        return match.naming(self.kind, ((self.kind, self._entity(ident)) for ident in sorted(held)))

    def _kind_word(self, query: str) -> tuple[str, frozenset[str]] | None:
        """(the name, the kinds of division the word after it names), where a word for the kind asked follows a
        name, apart by a space."""
        words = adapter(self.kind).kind_words
        # composed first: a word typed with its tone mark decomposed (e + U+030C) is the same word
        found = _TRAILING_WORD.fullmatch(unicodedata.normalize("NFC", query.strip())) if words else None
        kinds = words.get(strip_accents(found.group(2).lower())) if words and found else None
        return None if found is None or kinds is None else (found.group(1), kinds)

    def misfit(self, query: str) -> str | None:
        """The place a name followed by a word for another kind of division names (`Dalian County`: Dalian, a
        prefecture-level city), labelled as a suggestion; None where there is no such word or name. Such a
        query is a question about that place, never a typing slip of another (Datian County)."""
        found = self._kind_word(query)
        if found is None:
            return None
        try:
            named = self.exact(found[0], as_id=False)
        except Ambiguous:
            return None
        return None if named is None else self.label(str(named.entity["id"]))

    def _tones_may_be(self, tone_key: str, ident: str) -> bool:
        """Whether one of the entity's names as written agrees with the marks typed (textfold.tones_agree): its
        pinyin's tones, or a name's own accents (Ürümqi); an entity none of whose names holds a mark cannot be
        told apart by them, and may be meant."""
        marked = self._marked(ident)
        return not marked or any(tones_agree(tone_key, held) for held in marked)

    def _tones_held(self, tone_key: str, ident: str) -> bool:
        """Whether one of the entity's names as written holds the marks typed (an entity with no marked name
        holds none)."""
        return any(tones_agree(tone_key, held) for held in self._marked(ident))

    def _marked(self, ident: str) -> list[str]:
        """The entity's names that hold marks, as textfold.toned keys."""
        return [held for _, _, form in index_forms(self.kind, self._entity(ident)) if (held := toned(str(form)))]

    def preferred(self, idents: list[str]) -> str | None:
        """The homonym policy (README, "How queries are matched"): the place a source names (it holds
        clusters, parks or figures), then a provincial capital, then the higher level (a prefecture-level
        city before a county-level one). For sectors, the most specific of a line of sectors (`shoes` is
        Footwear, not Textiles, clothing and footwear, whose sub-sector it is). None when that leaves a tie."""
        if len(idents) < 2:
            return idents[0] if idents else None
        return adapter(self.kind).preferred(self.kb, idents)

    def check_query(self, query: str) -> str:
        """The query's compact form; a usage problem when it has nothing to compare."""
        key = compact(query)
        if not key:
            shown = clean_one_line(query)
            message = (
                _("an empty {kind} name; try `clusters list {kinds}`")
                if not query.strip()
                else _("'{query}', which has no letters or digits, is not a {kind} name; try `clusters list {kinds}`")
            )
            raise UsageProblem(message.format(query=shown, kind=kind_word(self.kind), kinds=KINDS[self.kind].plural))
        return key

    def inflected(self, query: str) -> str | None:
        """The entity a Latin query names exactly in its plural or singular (`battery`: Batteries, a synonym of
        Lithium batteries), or None. Never a reading of its own (glass is not glasses, Eyewear): it only stops
        the start of a name from being read where the word names another entity so (resolve)."""
        text = " ".join(query.split())
        if not text.isascii() or not text[-1:].isalpha() or is_acronym(text):
            return None
        for form in _inflections(text):
            try:
                found = self.exact(form, as_id=False)
            except Ambiguous:
                return None
            if found is not None:
                return str(found.entity["id"])
        return None

    def prefixed(self, query: str) -> Match | None:
        """The one entity a name of which starts with the query and ends a word there (Zhangjiang for
        Zhangjiang Science City; not glass for glasses); Ambiguous when several; None when none. Acronyms
        never match by prefix."""
        if is_acronym(query):
            return None
        key = compact(simplified(query))
        asked = _whole_words(simplified(query))
        cjk = not key.isascii()
        found = []
        starting = self.kb.keys_with_prefix(self.kind, key, limit=PREFIXED_READ)
        capped = len(starting) == PREFIXED_READ  # more may start so: what is counted is the least there are
        for ident in starting:
            for _stage, _how, form in index_forms(self.kind, self._entity(ident)):
                if (cjk and compact(form).startswith(key)) or (not cjk and _whole_words(form)[: len(asked)] == asked):
                    found.append(ident)
                    break
        if found and cjk and adapter(self.kind).worded:
            # a Chinese word of one character starts many (车 is a vehicle, not 车规级芯片), and one of two may
            # start one name and stand inside another (化工: 化工新材料 and 石化化工): both are asked, not read
            if len(key) < 2:
                return None
            inside = self.kb.keys_inside(self.kind, key, limit=PREFIXED_READ)
            capped = capped or len(inside) == PREFIXED_READ
            found += [i for i in inside if i not in found]
        if len(found) > 1:  # the first named, and all counted: "and 90 more" (the count was left out)
            shown = self.labels(found[:AMBIGUOUS_SHOWN], ids=True)
            raise Ambiguous(self.kind, clean_one_line(query), shown, total=len(found), at_least=capped)
        return Match(self._entity(found[0]), "prefix") if found else None

    def slips(self, key: str) -> list[tuple[str, str, float, str]]:
        """(entity id, slip, similarity, the name's compact form) of every entity one typing slip away from
        the query's compact form. One slip changes one or two neighbouring letters, so a name one slip away
        of three letters or more keeps the first letter or the last, and its length is within one: those
        names are all the store hands over (kb.close_keys), and each is checked. Found once a knowledge base
        and kind: a lookup of several kinds (`near`, `compare`) asks each kind's slips for each kind it tries
        (`near Atlantis` checked the cities' close names three times: at 100 times the shipped data, 11,478
        names)."""
        found = _SLIPS.setdefault(self.kb, {}).get((self.kind, key))
        if found is None:
            found = _SLIPS[self.kb][(self.kind, key)] = self._slips(key)
        return list(found)

    def _slips(self, key: str) -> list[tuple[str, str, float, str]]:
        if len(key) < 3 or not key.isascii():  # a slip is of Latin letters (slips.slip)
            return []
        from rapidfuzz import fuzz

        out: dict[str, tuple[str, float, str]] = {}
        # one slip keeps every letter of the query but one, in order: (1, n - 1, 0) of close_keys' `sharing`
        for form, ident in self.kb.close_keys(self.kind, key, len(key) - 1, len(key) + 1, (1, len(key) - 1, 0)):
            found = slip(key, form)
            if found is None:
                continue
            score = float(fuzz.ratio(key, form))
            kept = out.get(ident)
            # each entity by the likeliest slip of any of its names (Hanrbin: Harbin with a letter too many,
            # not its pinyin Haerbin mistyped), then the closest, then the name's order
            if kept is None or (STRENGTH[found], -score, form) < (STRENGTH[kept[0]], -kept[1], kept[2]):
                out[ident] = (found, score, form)
        return [(ident, found, score, form) for ident, (found, score, form) in sorted(out.items())]

    def suggestions(self, key: str) -> list[str]:
        return [self.label(i) for i, s, _ in self.fuzzy(key) if s >= SUGGEST_CUTOFF][:5]

    def fuzzy(self, key: str, cutoff: float = SUGGEST_CUTOFF) -> list[tuple[str, float, str]]:
        """(entity id, best score, the compact form that scored it) near `key`, best first: the names that
        begin or end with the query's first or last letter (a close spelling keeps one end: README, "How
        queries are matched"), of the lengths that can reach `cutoff` (fuzz.ratio is at most 2*min/(a+b) of
        the two lengths). The store hands over only those (kb.close_keys)."""
        if len(key) < 3:
            return []
        from rapidfuzz import fuzz, process  # paid only when exact lookup fails

        keys = self.kb.close_keys(self.kind, key, *reachable_lengths(len(key), cutoff), ratio_sharing(len(key), cutoff))
        choices = [k for k, _ in keys]
        best: dict[str, tuple[float, str]] = {}
        # every name at the cutoff or above, then each entity's best: a cut of the names before that would keep
        # those of equal scores by the names' order, not the entities'
        found = process.extract(key, choices, scorer=fuzz.ratio, score_cutoff=cutoff, limit=None)
        for choice, score, index in found:
            ident = keys[index][1]
            if float(score) > best.get(ident, (0.0, ""))[0]:
                best[ident] = (float(score), choice)
        return sorted(((i, s, c) for i, (s, c) in best.items()), key=lambda item: (-item[1], item[0]))


def _inflections(text: str) -> list[str]:
    """The text with its last word in the plural and in the singular, as English forms them (battery,
    batteries; glass, glasses; vehicle, vehicles), other than as typed."""
    from .store.searchtext import stem

    head, _, last = text.rpartition(" ")
    word = last.lower()
    forms = [stem(word), word + "s", word + "es"]
    if word.endswith("y") and len(word) > 2 and word[-2] not in "aeiou":
        forms.append(word[:-1] + "ies")
    return [f"{head} {f}".strip() for f in dict.fromkeys(forms) if f != word]


def ratio_sharing(n: int, cutoff: float) -> tuple[int, int, int]:
    """What a name must share with a query of `n` characters to score `cutoff`, as close_keys' `sharing`: fuzz.ratio
    is 200*s/(n+m) for the s characters the two share in order and the name's m, so s >= cutoff*(n+m)/200, in
    whole numbers with the cutoff as the exact ratio p/q it is (as reachable_lengths)."""
    p, q = float(cutoff).as_integer_ratio()
    return 200 * q, p * n, p


def reachable_lengths(n: int, cutoff: float) -> tuple[int, int]:
    """The lengths a name must have to score `cutoff` against a query of `n` characters: fuzz.ratio is at
    most 200*min/(a+b) of the two lengths. Reckoned in whole numbers (the cutoff as the exact ratio p/q it
    is): in floating point a bound that is a whole number (a query of 11 characters at 55 reaches names of
    29) came out a hair past it and was lost, though the scorer gives such a pair 55.00000000000001."""
    p, q = float(cutoff).as_integer_ratio()
    return -(-n * p // (200 * q - p)), n * (200 * q - p) // p
