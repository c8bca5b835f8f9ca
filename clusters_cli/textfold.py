"""Text folding: the comparison forms of names and queries, and every form a user may name an entity by.

Both the store (which indexes the forms when it compiles the cache, and folds search texts) and the
resolver (which folds the query the same way) read these, so a name and a query meet in one form.
All comparison happens on a compact form: NFKC, case-folded, accents and tone marks removed, spaces and
punctuation dropped ("Jing-Jin-Ji" -> "jingjinji", "Xī'ān" -> "xian", "ＡＮＨＵＩ" -> "anhui").
"""

from __future__ import annotations

import functools
import itertools
import re
import unicodedata
from typing import TYPE_CHECKING, Any

from .sanitize import clean

if TYPE_CHECKING:
    Entity = dict[str, Any]

# Every toneless pinyin syllable (from pypinyin's dictionary; v for ü). A query made wholly of them may name
# a real place the knowledge base does not hold (a county, a town), so a place is never fuzzily swapped in
# for it: "Dehua" (德化, a county) must not open Dehui (德惠).
PINYIN_SYLLABLES = frozenset(
    """
a ai an ang ao ba bai ban bang bao bei ben beng bi bian biang biao bie bin bing bo bong bu ca cai can cang cao
ce cei cen ceng cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun
chuo ci cong cou cu cuan cui cun cuo da dai dan dang dao de dei den deng di dia dian diao die din ding diu
dong dou du duan dui dun duo e ei en eng er fa fan fang fei fen feng fiao fo fou fu ga gai gan gang gao ge gei
gen geng gong gou gu gua guai guan guang gui gun guo ha hai han hang hao he hei hen heng hm hng hong hou hu
hua huai huan huang hui hun huo ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun ka kai kan kang
kao ke kei ken keng kong kou ku kua kuai kuan kuang kui kun kuo la lai lan lang lao le lei len leng li lia
lian liang liao lie lin ling liu lo long lou lu luan lue lun luo m ma mai man mang mao me mei men meng mi mian
miao mie min ming miu mo mou mu n na nai nan nang nao ne nei nen neng ng ni nia nian niang niao nie nin ning
niu nong nou nu nuan nue nun nuo o ou pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu qi
qia qian qiang qiao qie qin qing qiong qiu qu quan que qun ran rang rao re ren reng ri rong rou ru rua ruan
rui run ruo sa sai san sang sao se sen seng sha shai shan shang shao she shei shen sheng shi shou shu shua
shuai shuan shuang shui shun shuo si song sou su suan sui sun suo ta tai tan tang tao te tei teng ti tian tiao
tie ting tong tou tu tuan tui tun tuo wa wai wan wang wei wen weng wo wong wu xi xia xian xiang xiao xie xin
xing xiong xiu xu xuan xue xun ya yan yang yao ye yi yin ying yo yong you yu yuan yue yun za zai zan zang zao
ze zei zen zeng zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui
zhun zhuo zi zong zou zu zuan zui zun zuo
""".split()  # noqa: SIM905 (a word list reads best as text)
)
MAX_QUERY = 200  # characters of the compact form compared; longer ones are cut, not rejected

_NON_WORD = re.compile(r"[\W_]+")
_ASCII_NON_WORD = bytes(c for c in range(128) if not chr(c).isalnum())  # the ASCII characters _NON_WORD matches


@functools.cache  # compiled when first needed, as _plain() is
def _word() -> re.Pattern[str]:
    """A word: a run of what _NON_WORD does not match (found whole, as splitting at its runs finds it)."""
    return re.compile(r"[^\W_]+")


# Text of ASCII and CJK ideographs alone (most Chinese names and texts): NFKC, case folding and accent
# stripping leave such a character as it is but for ASCII's case, and none is a format character (category
# Cf); so its comparison form is its lower case, found without the per-character work. Compiled when first
# needed: a class of these ranges takes 1 ms to compile, and many commands fold no text.
@functools.cache
def _plain() -> re.Pattern[str]:
    return re.compile(r"[\x00-\x7f\u3400-\u4dbf\u4e00-\u9fff]*")


# the suffixes a Chinese name is also known without (广西 for 广西壮族自治区), longest first
ZH_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "自治州", "地区", "省", "市", "盟")
TONED = "~"  # key prefix of tone-marked pinyin: Sūzhōu (苏州) and Sùzhōu (宿州) are different keys

# priority of each stage; lower wins
EXACT, CHINESE, PINYIN, PREFIX, FUZZY = 0, 1, 2, 3, 4


def is_pinyin(key: str) -> bool:
    """Whether a compact, accent-free key splits wholly into pinyin syllables ('dehua' yes, 'anhiu' no)."""
    if not key.isascii() or not key.isalpha():
        return False
    ok = [True] + [False] * len(key)
    for end in range(1, len(key) + 1):
        ok[end] = any(ok[start] and key[start:end] in PINYIN_SYLLABLES for start in range(max(0, end - 6), end))
    return ok[-1]


@functools.lru_cache(maxsize=16384)  # the same names recur across entities when the cache is built
def strip_accents(text: str) -> str:
    if text.isascii():  # most names: nothing to strip (and no need to normalise)
        return text
    return "".join(itertools.filterfalse(unicodedata.combining, unicodedata.normalize("NFKD", text)))


def compact(text: str) -> str:
    """The comparison form of a name or query, cut to MAX_QUERY characters once spaces and punctuation are gone
    (cut before, `Anhui` and 200 spaces and `Shanghai` was read as Anhui)."""
    if text.isascii() and text.isprintable():
        # most names: clean() keeps them whole and folding lowers them; what _NON_WORD removes goes as bytes
        return text.lower().encode().translate(None, _ASCII_NON_WORD).decode()[:MAX_QUERY]
    text = _folded(clean(text))
    # a text of letters and digits alone (a Chinese name) holds nothing _NON_WORD removes: str.isalnum and the
    # pattern's \w test the same characters (\w adds only '_', which is not alphanumeric)
    return (text if text.isalnum() else _NON_WORD.sub("", text))[:MAX_QUERY]


def words_all(texts: list[str]) -> list[str | None]:
    """The words of each printable text (words()) joined by single spaces, None for a text that is not printable. They
    are made on all the texts joined by line breaks, by a few passes of C over them all instead of a call of Python
    a text and a word (at 10 times the shipped data, the search forms of the pack's 320,000 texts, 170,000
    different, in 0.57-0.91 s against 1.29): texts of ASCII and CJK ideographs alone (_plain(), most of a knowledge
    base's), which folding only lowers, as UTF-8 bytes, their ASCII characters other than letters and digits made
    spaces; the others folded as _folded folds one (strip_accents' steps: the function keeps what it is given) and
    parted at every character of no word. No printable text holds a line break, and normalisation, case folding and
    accent stripping neither make one nor join anything across one; should the texts not come back one for one, of
    words of letters and digits alone, each is made alone. tests/test_textfold.py holds the two ways to each other."""
    out: list[str | None] = [None] * len(texts)
    plain: list[int] = []
    other: list[int] = []
    for at, text in enumerate(texts):
        if text.isprintable():
            (plain if text.isascii() or _plain().fullmatch(text) else other).append(at)
    for group, is_plain_group in ((plain, True), (other, False)):
        made = _joined_words([texts[at] for at in group], plain=is_plain_group) if group else None
        if made is None:
            made = [" ".join(words(texts[at])) for at in group]
        for at, text in zip(group, made, strict=True):
            out[at] = text
    return out


# every ASCII character that is neither a letter nor a digit (what parts words, `_` too) made a space; the bytes
# of UTF-8 beyond ASCII kept, and line breaks
_PARTING = bytes(c if chr(c).isalnum() or c == 10 or c > 127 else 32 for c in range(256))
_SPACES = re.compile(rb" {2,}")
_NON_WORDS = re.compile(r"(?:[^\w\n]|_)+")  # a run of what _NON_WORD matches, line breaks apart


def _joined_words(texts: list[str], *, plain: bool) -> list[str] | None:
    """words_all's words of these printable texts, all plain or none; None should they not come back one for
    one, of words of letters and digits alone."""
    joined = "\n".join(texts)
    if plain:
        data = _SPACES.sub(b" ", joined.encode().lower().translate(_PARTING))
    else:
        decomposed = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", joined).casefold())
        data = _NON_WORDS.sub(" ", "".join(itertools.filterfalse(unicodedata.combining, decomposed))).encode()
    data = data.replace(b" \n", b"\n").replace(b"\n ", b"\n").strip(b" ")
    made = data.decode().split("\n")
    kept = data.replace(b" ", b"").replace(b"\n", b"").decode()
    return made if len(made) == len(texts) and (not kept or kept.isalnum()) else None


def words(text: str) -> list[str]:
    """Lower-case, accent-free words of a text (CJK runs stay whole); an invisible format character (a soft
    hyphen, a zero-width space or joiner, a direction mark: Unicode's category Cf) parts no word."""
    text = clean(text)
    if not text.isascii() and not _plain().fullmatch(text):
        if not text.isprintable():  # a printable text holds no format character (Cf is not printable)
            text = "".join(ch for ch in text if unicodedata.category(ch) != "Cf")
        text = _folded(text)
    else:
        text = text.lower()
    return _word().findall(text)


def _folded(text: str) -> str:
    """Lower case, NFKC, case-folded, without accents (text already cleaned)."""
    if text.isascii() or _plain().fullmatch(text):
        return text.lower()
    return strip_accents(unicodedata.normalize("NFKC", text).casefold())


def toned(text: str) -> str:
    """The comparison form keeping tone marks: 'Sūzhōu' -> '~sūzhōu'; '' when the text has none."""
    if text.isascii():  # no tone mark (and casefold, NFC and clean() keep ASCII text ASCII)
        return ""
    text = unicodedata.normalize("NFC", clean(text).casefold())
    return "" if text == strip_accents(text) else TONED + _NON_WORD.sub("", text)[:MAX_QUERY]


# the four tone marks of pinyin, as combining characters (ü's diaeresis is a letter's, not a tone)
_TONE_MARKS = frozenset("\u0300\u0301\u0304\u030c")


def _syllable_letters(text: str) -> list[tuple[str, str]]:
    """Each letter of a toned key (NFKD: a full-width Ａ is A) as (the letter with any diaeresis, its tone
    mark or '')."""
    out: list[tuple[str, str]] = []
    for ch in unicodedata.normalize("NFKD", text):
        if unicodedata.combining(ch) and out:
            letter, tone = out[-1]
            out[-1] = (letter, tone + ch) if ch in _TONE_MARKS else (letter + ch, tone)
        else:
            out.append((ch, ""))
    return out


def tones_agree(asked: str, held: str) -> bool:
    """Whether pinyin typed with some tone marks (`asked`, a key of `toned`) may be `held` (another's): the
    same letters, and every mark typed the one held on that letter. `Shǎnxi` may be Shǎnxī (陕西), never
    Shānxī (山西); a letter typed without a mark agrees with any."""
    typed, kept = _syllable_letters(asked), _syllable_letters(held)
    if len(typed) != len(kept):
        return False
    return all(a == b and (not ta or ta == tb) for (a, ta), (b, tb) in zip(typed, kept, strict=True))


def index_keys(kind: str, entity: Entity) -> list[tuple[int, str, str]]:
    """(stage, how, key) for every way a user may name the entity, as the cache stores them."""
    out = [(stage, how, compact(text)) for stage, how, text in index_forms(kind, entity)]
    tones = toned(entity["pinyin"]) if entity.get("pinyin") else ""
    if tones:
        out.append((PINYIN, "pinyin with tones", tones))
    return [(stage, how, key) for stage, how, key in out if key]


def without_suffix(name: str, suffixes: tuple[str, ...] = ZH_SUFFIXES) -> str | None:
    """A Chinese name without its administrative suffix (the first of `suffixes`, longest first, it ends with),
    where two characters or more remain: 广西 for 广西壮族自治区; None where it has none."""
    if not name.endswith(suffixes):  # most names: none to try one by one
        return None
    for suffix in suffixes:
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            return name[: -len(suffix)]
    return None


def index_forms(kind: str, entity: Entity) -> list[tuple[int, str, str]]:
    """(stage, how, text) for every way a user may name the entity."""
    # the order reports the most telling reason: "YRD" matched as an alias, not as an id
    out: list[tuple[int, str, str]] = [(EXACT, "name", str(entity.get("name") or entity.get("metric", "")))]
    if "official_name" in entity:
        out.append((EXACT, "official name", entity["official_name"]))
    out += [(EXACT, "alias", a) for a in entity.get("aliases", [])]
    out += [(EXACT, "synonym", s) for s in entity.get("synonyms", [])]
    out.append((EXACT, "id", entity["id"]))
    if entity.get("code"):  # 340000 for Anhui; 350200 for Xiamen
        out.append((EXACT, "code", entity["code"]))
    if entity.get("iso_code"):  # CN-AH, and AH
        out += [(EXACT, "ISO 3166-2 code", entity["iso_code"]), (EXACT, "ISO 3166-2 code", entity["iso_code"][3:])]
    zh = entity.get("name_zh")
    if zh:
        out.append((CHINESE, "Chinese name", zh))
        if entity.get("short_zh") and entity["short_zh"] != zh:
            out.append((CHINESE, "Chinese name", entity["short_zh"]))
        bare = without_suffix(zh)
        if bare is not None:
            out.append((CHINESE, "Chinese name", bare))
    if "abbr" in entity:
        out += [(CHINESE, "abbreviation", a) for a in [entity["abbr"], *entity.get("abbr_alt", [])]]
    if "pinyin" in entity:
        out.append((PINYIN, "pinyin", entity["pinyin"]))
    from .kinds import adapter  # a kind's own forms: a province's two-digit code, a city's name with 市

    out += [(_FORM_STAGES[how], how, text) for how, text in adapter(kind).name_forms(entity)]
    return out


_FORM_STAGES = {"code": EXACT, "town": EXACT, "Chinese name": CHINESE}


_CONVERTERS: dict[str, object] = {}


def simplified(text: str) -> str:
    """Traditional characters folded to simplified with OpenCC's t2s tables (廣東 -> 广东); text without
    Han characters is returned as it is, and OpenCC is loaded only for a query that needs it."""
    text = clean(text)  # no lone surrogate or control character reaches the converter
    if text.isascii():
        return text
    converted: str = _t2s().convert(text)  # type: ignore[attr-defined]
    return converted


def simplified_all(texts: list[str]) -> list[str]:
    """simplified() of each text, those that are not ASCII and hold no line break converted by one call of
    OpenCC, joined by line breaks: a call a text cost four times the conversion (106,000 texts of a pack ten
    times the shipped ones: 0.13 s against 0.03). No phrase or character OpenCC converts holds a line break, so
    a text converts among others as it does alone (tests/test_textfold.py holds the two ways to each other)."""
    cleaned = [clean(text) for text in texts]
    joined = [text for text in cleaned if not text.isascii() and "\n" not in text]
    if not joined:
        return [simplified(text) for text in cleaned]
    converted: list[str] = _t2s().convert("\n".join(joined)).split("\n")  # type: ignore[attr-defined]
    if len(converted) != len(joined):  # cannot happen (see above): each text alone, then
        return [simplified(text) for text in cleaned]
    each = iter(converted)
    return [next(each) if not text.isascii() and "\n" not in text else simplified(text) for text in cleaned]


def _t2s() -> object:
    """OpenCC's converter of traditional characters to simplified, loaded once, when first needed."""
    if "t2s" not in _CONVERTERS:
        import opencc

        _CONVERTERS["t2s"] = opencc.OpenCC("t2s")
    return _CONVERTERS["t2s"]
