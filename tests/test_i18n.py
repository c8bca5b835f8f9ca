"""The interface in Chinese (issue 23): how the language is chosen, the catalog (every marked string and
every command's help translated; the compiled .mo reads back as the .po says), Chinese labels, names first
in Chinese, amounts in Chinese units, Chinese errors and help, and machine output the same in both."""

from __future__ import annotations

import gettext
import subprocess
import sys
from pathlib import Path

import pytest
from helpers import PACKS, ROOT, cli, data_args

from clusters_cli import i18n, pofile


@pytest.mark.parametrize(
    ("flag", "env", "expected"),
    [
        ("zh", {"CLUSTERS_LANG": "en", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"CLUSTERS_LANG": "zh", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"CLUSTERS_LANG": "en", "LC_ALL": "zh_CN.UTF-8"}, "en"),
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_MESSAGES": "zh_TW.UTF-8"}, "zh"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANG": "de_DE.UTF-8"}, "en"),
        (None, {}, "en"),
    ],
)
def test_the_language_is_the_flag_then_clusters_lang_then_the_locale(
    flag: str | None, env: dict[str, str], expected: str
) -> None:
    assert i18n.detect(flag, env) == expected


def test_every_marked_string_and_every_help_is_translated() -> None:
    """What scripts/update_catalog.py --check checks: Babel's extraction of _() and N_(), the commands' help
    and Click's words, each with a Chinese translation in messages.po."""
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import update_catalog
    finally:
        sys.path.pop(0)
    catalog = pofile.read_po(i18n.PO)
    wanted = update_catalog.wanted()
    assert len(wanted) > 200
    keys = [m if context is None else f"{context}\x04{m}" for m, context in wanted]
    assert [k for k in keys if not catalog.get(k)] == []
    assert catalog["value\x04province"] == "省" and catalog["province"] == "省级行政区"  # a msgctxt read apart


def test_a_translation_keeps_the_marks_click_reads_in_its_original() -> None:
    """map's Chinese help lost the \\b before its examples, so Click ran its five example lines into one
    paragraph: every \\b (keep these lines) and {placeholder} of an original stands in its translation."""
    import re

    lost = [
        msgid[:40]
        for msgid, msgstr in pofile.read_po(i18n.PO).items()
        if msgstr
        and (
            msgid.count("\b") != msgstr.count("\b")
            or sorted(re.findall(r"\{[a-z_0-9]*\}", msgid)) != sorted(re.findall(r"\{[a-z_0-9]*\}", msgstr))
        )
    ]
    assert lost == []


def test_a_po_entry_is_read_with_its_escapes_and_continued_lines_and_fuzzy_ones_are_left_out(tmp_path: Path) -> None:
    po = tmp_path / "messages.po"
    po.write_text(
        'msgid ""\nmsgstr "Content-Type: text/plain; charset=UTF-8\\n"\n\n'
        'msgid "a \\"quoted\\" word\\n"\nmsgstr "一个\\t“词”\\\\"\n\n'
        'msgid ""\n"two "\n"lines"\nmsgstr "两行\\x"\n\n'
        'msgid "ends in \\"\nmsgstr "以\\结尾\\"\n\n'
        '#, fuzzy\nmsgid "unsure"\nmsgstr "不确定"\n',
        encoding="utf-8",
    )
    assert pofile.read_po(po) == {
        'a "quoted" word\n': "一个\t“词”\\",
        "two lines": "两行x",  # an unknown escape: the character itself
        "ends in \\": "以结尾\\",  # a backslash ending the text stays
    }


def test_a_changed_catalog_is_read_again_and_an_unchanged_one_is_not(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    po = tmp_path / "messages.po"
    po.write_text('msgid "Province"\nmsgstr "省"\n', encoding="utf-8")
    monkeypatch.setattr(i18n, "PO", po)
    monkeypatch.setattr(i18n, "_compiled_dir", lambda: None)
    reads: list[Path] = []
    read_po = pofile.read_po
    monkeypatch.setattr(pofile, "read_po", lambda path: reads.append(path) or read_po(path))
    i18n.use("zh")
    i18n.use("zh")
    assert i18n._("Province") == "省" and reads == [po]
    po.write_text('msgid "Province"\nmsgstr "省份"\n', encoding="utf-8")  # one byte longer: a new stamp
    i18n.use("zh")
    assert i18n._("Province") == "省份" and reads == [po, po]


def test_the_compiled_catalog_reads_back_as_the_po_says(tmp_path: Path) -> None:
    catalog = pofile.read_po(i18n.PO)
    mo = tmp_path / "zh_CN" / "LC_MESSAGES" / "messages.mo"
    pofile.write_mo(catalog, mo)
    with mo.open("rb") as f:
        read = gettext.GNUTranslations(f)
    assert all(read.gettext(k) == v for k, v in catalog.items())
    assert read.gettext("Usage: ") == "用法：" and read.gettext("not in the catalog") == "not in the catalog"


def test_a_province_in_chinese_labels_names_and_amounts() -> None:
    text = cli("--lang", "zh", "province", "广东", env={"COLUMNS": "100"}).stdout
    for label in ("英文正式名称", "省会", "集群（", "统计数据（"):
        assert label in text, label
    assert "广东省（Guangdong）" in text.splitlines()[0]  # the Chinese name first, as every view
    assert "4.55万亿元（6500亿美元）" in text  # RMB 4.55 trillion (US$650 billion), in Chinese units
    assert "Official name" not in text and "Statistics" not in text
    english = cli("province", "广东", env={"COLUMNS": "100"}).stdout
    assert "RMB 4.55 trillion (US$650 billion)" in english and "正式名称" not in english


def test_clusters_lang_chooses_chinese_and_json_is_the_same_in_both() -> None:
    for args in (
        ("province", "Anhui", "--json"),
        ("city", "Shenzhen", "--json"),
        ("sector", "semiconductors", "--json"),
        ("list", "cities", "--json"),
        ("stats", "--json"),
        ("rank", "provinces", "--sector", "wind", "--json"),
        ("near", "Suzhou", "--json"),
        ("list", "clusters", "--format", "csv"),
    ):
        english = cli(*args, env={"CLUSTERS_LANG": "en"})
        chinese = cli(*args, env={"CLUSTERS_LANG": "zh"})
        assert chinese.exit_code == english.exit_code == 0
        assert chinese.stdout == english.stdout, args
    assert "正式名称" in cli("province", "Anhui", env={"CLUSTERS_LANG": "zh"}).stdout


@pytest.mark.parametrize(
    "args", [["--lang"], ["province", "Anhui", "--lang"], ["--lang", "province", "Anhui"], ["info", "--lang", "--json"]]
)
def test_a_lang_with_no_value_is_said_so(args: list[str]) -> None:
    """`clusters --lang province Anhui` took `province` for the language ("No such command 'Anhui'"), and a
    `--lang` last said "--lang '' is not one of: zh, en"."""
    r = cli(*args)
    assert (r.exit_code, r.stdout, r.stderr) == (2, "", "clusters: error: --lang needs a value: zh or en\n")


def test_an_unknown_name_is_a_chinese_error_with_exit_1() -> None:
    r = cli("--lang", "zh", "province", "Atlantis")
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.startswith("clusters：错误：没有与“Atlantis”匹配的省级行政区。")
    assert cli("--lang", "fr", "info").exit_code == 2


def test_help_in_chinese_under_a_chinese_locale() -> None:
    env = {**{k: v for k, v in __import__("os").environ.items() if k not in ("CLUSTERS_LANG", "LC_ALL")}}
    env.update(LANG="zh_CN.UTF-8", CLUSTERS_NO_SHIPPED="1")
    out = subprocess.run(
        [sys.executable, "-m", "clusters_cli", "--help"], capture_output=True, text=True, env=env, timeout=60
    ).stdout
    assert out.startswith("用法：clusters") and "中国产业集群离线查询工具" in out and "显示本帮助并退出。" in out
    assert "省级行政区：基本信息" in out  # a command's help


def test_cite_in_the_chinese_standard_style_and_in_chinese() -> None:
    gbt = cli("cite", "guangdong-electronics-revenue-2022", "--format", "gbt7714").stdout.splitlines()
    assert gbt[0].startswith("[1] ") and gbt[1].startswith("[2] ")  # the source, then the article reporting it
    # a source of no address and no other type recorded is "other" (Z), not an electronic resource
    assert all(any(mark in line for mark in ("[EB", "[N", "[R", "[Z]")) for line in gbt) and "[Z]" in gbt[0]
    plain = cli("--lang", "zh", "cite", "guangdong-electronics-revenue-2022").stdout
    assert "4.55万亿元（6500亿美元）" in plain and "转引自" in plain
    assert "（2022年）" in plain  # the year as rank's Chinese lines write it (it read （2022）)
    assert cli("cite", "guangdong-electronics-revenue-2022", "--json").json()["gbt7714"] == "\n".join(gbt)


def test_the_map_in_chinese_terminal_svg_and_html(tmp_path: Path) -> None:
    assert cli("--lang", "zh", "map").stdout.splitlines()[0] == "各省级行政区的集群"
    svg, page = tmp_path / "m.svg", tmp_path / "m.html"
    r = cli("--lang", "zh", "map", "wind", "--svg", str(svg))
    assert r.exit_code == 0 and r.stderr.startswith("已写入")
    text = svg.read_text(encoding="utf-8")
    assert 'lang="zh-Hans"' in text and "每个行政区的集群数" in text and "Clusters per division" not in text
    cli("--lang", "zh", "map", "--html", str(page))
    html = page.read_text(encoding="utf-8")
    assert '<html lang="zh-Hans">' in html and "<th>行政区</th>" in html
    english = cli("map", "--svg", str(svg))
    assert english.stderr.startswith("wrote ") and "Clusters per division" in svg.read_text(encoding="utf-8")


def test_a_published_map_in_chinese_follows_the_readmes_rules(tmp_path: Path) -> None:
    """The SVG map wrote 共计 8个集群 beside 33 个行政区 (a count the tool makes is spaced from its measure word),
    named a division `北京市 Beijing` (the other name stands in brackets, full width in Chinese) and left the
    outlines' licence in English (the tool's own words, from scripts/build_shapes.py): found by an audit of the
    Chinese interface."""
    svg = tmp_path / "m.svg"
    assert cli("--lang", "zh", "map", "--svg", str(svg)).exit_code == 0
    text = svg.read_text(encoding="utf-8")
    assert "<title>上海市（Shanghai）：1 个集群，位于上海市</title>" in text
    assert "<title>北京市（Beijing）：0 个集群</title>" in text
    assert "共计 11 个集群；9 个行政区中 5 个至少有一个" in text
    assert "公有领域（依 Natural Earth 使用条款）" in text and "public domain" not in text
    assert cli("map", "--svg", str(svg)).exit_code == 0
    english = svg.read_text(encoding="utf-8")
    assert "<title>Jiangsu (江苏省): 6 clusters in Suzhou, Nantong, Kunshan</title>" in english
    assert "public domain (Natural Earth terms of use)" in english


def test_a_figures_year_and_a_counts_heading_read_as_every_chinese_view_writes_them() -> None:
    """`list statistics` showed 2024* and 2022 in Chinese where every other view writes 2024年* (README), `list
    series` 2012; 2021; and a count's heading was 集群 beside 企业数 and 园区数 (rank), 城市（1） and 集群（19）
    among stats' groups. Machine formats keep the numbers."""
    figures = cli("--lang", "zh", "list", "statistics", env={"COLUMNS": "100"}).stdout.splitlines()
    assert figures[3].split()[-2:] == ["2024年*", "中国"] and figures[5].split()[-2:] == ["2022年", "广东省"]
    series = cli("--lang", "zh", "list", "series", env={"COLUMNS": "100"}).stdout.splitlines()
    assert series[3].split()[-1] == "2012年、2021年" and series[4].split()[-1] == "2022年"
    assert cli("--lang", "zh", "list", "series", "--json").stdout == cli("list", "series", "--json").stdout
    assert cli("list", "statistics", env={"COLUMNS": "100"}).stdout.splitlines()[3].split()[-1] == "2024*"
    ranked = cli("--lang", "zh", "rank", "provinces", "--sector", "semiconductors").stdout.splitlines()
    assert ranked[1].split() == ["#", "名称", "集群数", "企业数", "园区数", "数据"]
    # a column of counts is headed as one, and the same field listing the things as they are (a firm's clusters)
    provinces = cli("--lang", "zh", "list", "provinces", env={"COLUMNS": "100"}).stdout.splitlines()
    assert provinces[1].split()[-1] == "集群数"
    firms = cli("--lang", "zh", "list", "companies", env={"COLUMNS": "100"}).stdout.splitlines()
    assert firms[1].split() == ["名称", "英文名", "行业", "总部", "集群"]
    assert "集群数（1）" in cli("--lang", "zh", "stats").stdout  # a group of figures counting clusters


def test_no_marked_string_hides_inside_an_f_string() -> None:
    """Babel does not look inside an f-string's expressions: a _("...") there would never reach the catalog."""
    import ast

    hidden = []
    for path in sorted((ROOT / "clusters_cli").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if (
                        isinstance(inner, ast.Call)
                        and isinstance(inner.func, ast.Name)
                        and inner.func.id in ("_", "N_")
                        and inner.args
                        and isinstance(inner.args[0], ast.Constant)
                    ):
                        hidden.append(f"{path.name}:{inner.lineno}")
    assert hidden == []


def test_a_chinese_locale_alone_gives_a_chinese_sector_view() -> None:
    env = {"CLUSTERS_LANG": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "zh_CN.UTF-8"}
    text = cli("sector", "semiconductors", env=env).stdout
    assert "同义词" in text and "集群（" in text and "Synonyms" not in text and "Clusters (" not in text
    assert cli("sector", "semiconductors", env={**env, "LANG": "en_US.UTF-8"}).stdout.count("Synonyms") == 1


def test_a_list_held_and_its_sources_dates_in_chinese() -> None:
    text = cli("--lang", "zh", "designation", "fixture-advanced-clusters", env={"COLUMNS": "120"}).stdout
    assert "已收录 2 个（共 5 个）" in text and "2022年：2/3" in text and "Held" not in text
    cluster = cli("--lang", "zh", "cluster", "anhui-pv", env={"COLUMNS": "120"}).stdout
    assert "2022年11月30日" in cluster and "2022-11-30" not in cluster  # a source's date as Chinese writes it
    assert "2022-11-30" in cli("cluster", "anhui-pv", env={"COLUMNS": "120"}).stdout


def test_how_a_filter_was_read_is_said_in_chinese_and_kept_in_english_in_the_document() -> None:
    table = cli("--lang", "zh", "list", "clusters", "--province", "Guangdnog").stdout
    assert table.startswith("将“Guangdnog”按拼写错误读作广东省（两个字母颠倒）")
    doc = cli("--lang", "zh", "list", "clusters", "--province", "Guangdnog", "--json")
    assert doc.json()["notices"] == ["Showing Guangdong for 'Guangdnog' (read as a typing slip: two letters swapped)"]
    assert doc.stderr.startswith("将“Guangdnog”按拼写错误读作广东省")


BROKEN = """meta:
  title: mine
  version: 1
clusters:
  - id: x
    name: 3
    foo: 1
"""


def test_a_broken_packs_problems_in_chinese_and_its_json_in_english(tmp_path: Path) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(BROKEN, encoding="utf-8")
    r = cli("--lang", "zh", "--no-shipped", "validate", str(pack))
    assert r.exit_code == 3 and r.stdout == ""
    assert r.stderr.splitlines() == [  # in the order a reader meets them in the file (meta's came last)
        f"  {pack}:1:1: meta.version: 应为字符串，实为 1（整数）",
        f"  {pack}:5:5: clusters[0] (id: x): 缺少必需字段“sector”、“status”、“summary”、“locator”",
        f"  {pack}:5:5: clusters[0] (id: x): 未知字段“foo”",
        f"  {pack}:6:11: clusters[0] (id: x).name: 应为字符串，实为 3（整数）",
        f"clusters：错误：{pack}：知识库无效（4 个问题）",
    ]
    english = cli("--no-shipped", "validate", "--json", str(pack))
    chinese = cli("--lang", "zh", "--no-shipped", "validate", "--json", str(pack))
    assert english.exit_code == chinese.exit_code == 3
    assert chinese.stdout == english.stdout
    assert "the fields 'sector', 'status', 'summary', 'locator' are required" in english.stdout


@pytest.mark.parametrize(
    ("text", "chinese", "english"),
    [
        ("a: [\n", "YAML 错误：解析流式节点时：找不到应有的节点内容", "YAML error: while parsing a flow node: did not"),
        ("a: 1\na: 2\n", "键“a”重复（首次定义于第 1 行）", "duplicate key 'a' (first defined on line 1)"),
        ("- a\n", "顶层必须是各部分的映射，而不是列表", "the top level must be a mapping of sections, not a list"),
        ("a: !!python/name:os.system x\n", "无法识别标签“tag:yaml.org,2002:python/name:os.system”", "could not"),
    ],
)
def test_a_pack_that_does_not_parse_is_said_in_chinese(tmp_path: Path, text: str, chinese: str, english: str) -> None:
    pack = tmp_path / "mine.yaml"
    pack.write_text(text, encoding="utf-8")
    zh = cli("--lang", "zh", "--no-shipped", "validate", str(pack))
    en = cli("--no-shipped", "validate", str(pack))
    assert zh.exit_code == en.exit_code == 3
    assert chinese in zh.stderr and english in en.stderr
    assert zh.stderr.endswith("知识库无效（1 个问题）\n")


def test_a_valid_verdict_counts_in_chinese() -> None:
    r = cli("--lang", "zh", "validate")
    assert r.exit_code == 0
    assert "：有效（" in r.stderr and "、城市 19、" in r.stderr and "cities" not in r.stderr


def test_a_value_typed_with_quotes_is_quoted_as_typed_in_chinese() -> None:
    """Click's quotes become Chinese ones, but never inside a value the user typed: `--limit "'5'"` read `“5”`."""
    r = cli("--lang", "zh", "list", "cities", "--limit", "'5'")
    assert r.exit_code == 2 and "“5”" not in r.stderr
    # the pinned Typer's Click names the value ("'5'" is not a valid int range); Typer 0.29's names none
    assert "\"'5'\"" in r.stderr or "5" not in r.stderr.partition("的值无效")[2]


# each usage error as the pinned Typer's Click words it, and as Typer 0.29 does (CI runs both)
@pytest.mark.parametrize(
    ("args", "said"),
    [
        (("provnce", "x"), {"clusters：错误：没有命令“provnce”。您是否要找：“province”？"}),
        (
            ("near", "Suzhou", "--km", "abc"),
            {
                "clusters：错误：“--km”的值无效：“abc”不是有效的数字。",
                "clusters：错误：“--km”的值无效：不是有效的数字。",
            },
        ),
        (
            ("list", "cities", "--limit", "0"),
            {
                "clusters：错误：“--limit” / “-n”的值无效：0 不在范围 1<=x<=1000000000 内。",
                "clusters：错误：“--limit” / “-n”的值无效：应至少为 1。",
            },
        ),
        (("province",), {"clusters：错误：缺少参数“NAME”。"}),
        (("rank", "cities"), {"clusters：错误：缺少选项“--sector” / “-s”。"}),
    ],
)
def test_clicks_usage_errors_in_chinese(args: tuple[str, ...], said: set[str]) -> None:
    r = cli("--lang", "zh", *args)
    assert r.exit_code == 2 and r.stdout == ""
    (line,) = r.stderr.splitlines()  # one line, the help to read in it
    message, _, rest = line.partition("（运行“clusters")
    assert message in said and rest.endswith(" --help”查看帮助）")  # Chinese quotes, Click's too


def test_no_match_lines_and_views_in_chinese() -> None:
    r = cli("--lang", "zh", "search", "zzqxq")
    assert (r.exit_code, r.stderr) == (1, "没有与“zzqxq”匹配的结果\n")
    r = cli("--lang", "zh", "list", "clusters", "--province", "Anhui", "--sector", "socks")
    # each filter by its name in Chinese, not `province=anhui` (ids and English field names)
    assert (r.exit_code, r.stderr) == (1, "没有符合筛选条件（省级行政区：安徽省；行业：袜业）的集群\n")
    r = cli("list", "clusters", "--province", "Anhui", "--sector", "socks", "--status", "planned")
    assert r.stderr == "No clusters match province: Anhui; sector: Socks; status: planned\n"
    title = cli("list", "clusters", "--province", "Anhui", "--sector", "semiconductors").stdout.splitlines()[0]
    assert title == "Clusters (1) · province: Anhui; sector: Semiconductors"  # a table's title alike
    assert cli("list", "clusters", "--province", "Anhui", "--json").json()["filters"] == {"province": "anhui"}
    near = cli("--lang", "zh", "near", "Suzhou", "--km", "50", env={"COLUMNS": "120"}).stdout
    assert "昆山市" in near and " 东 " in near and " E " not in near  # where and direction in Chinese
    compare = cli("--lang", "zh", "compare", "Anhui", "Jiangsu", env={"COLUMNS": "120"}).stdout
    assert "全部集群" in compare and "all clusters" not in compare and "安徽省（省" in compare
    stats = cli("--lang", "zh", "stats", env={"COLUMNS": "120"}).stdout
    assert "人民币金额" in stats and "Money in RMB" not in stats
    cluster = cli("--lang", "zh", "cluster", "hefei-photovoltaics", env={"COLUMNS": "120"}).stdout
    assert "中文名 " in cluster and "established" not in cluster and "Chinese name" not in cluster


def test_the_kinds_of_sources_and_the_reasons_of_a_search_in_chinese() -> None:
    info = cli("--lang", "zh", "info", env={"COLUMNS": "160"}).stdout
    assert "1 美元合" in info and "RMB per US$" not in info
    hits = cli("--lang", "zh", "search", "wind", "--fields", "name,why", env={"COLUMNS": "120"}).stdout
    assert hits.startswith("搜索结果") and "名称" in hits and "风电" in hits  # Chinese names kept with --fields


def test_the_re_audits_findings_in_chinese() -> None:
    env = {"COLUMNS": "120"}
    r = cli("--lang", "zh", "province", "Anhui", "extra")
    assert r.exit_code == 2 and r.stderr.startswith("clusters：错误：多余的参数（extra）（运行“")
    r = cli("--lang", "zh", "list", "clusters", "--lim", "3")
    assert r.exit_code == 2 and r.stderr.startswith("clusters：错误：没有选项：--lim。您是否要找：--limit？（运行“")
    # Click's list of close options and a value's choices, parted as every Chinese list is (it wrote ", ")
    r = cli("--lang", "zh", "list", "cities", "--pro", "x")
    assert r.stderr.startswith("clusters：错误：没有选项：--pro。您是否要找：--province、--region？（运行“")
    english = cli("list", "cities", "--pro", "x")
    assert english.stderr.startswith("clusters: error: No such option: --pro. Did you mean --province, --region? (")
    r = cli("--lang", "zh", "map", "--format", "bogus")
    assert "“bogus”不是“table”、“json”、“csv”、“tsv”、“ndjson”之一。" in r.stderr
    english = cli("map", "--format", "bogus")  # Typer 0.29 wrote "Value error, 'bogus' is not one of ..."
    assert ": 'bogus' is not one of 'table', 'json', 'csv', 'tsv', 'ndjson'. (" in english.stderr
    figures = cli("--lang", "zh", "list", "statistics", "--fields", "name,display,scope", env=env).stdout
    assert "中国" in figures and "China " not in figures and "亿元" in figures  # --fields keeps the Chinese
    assert cli("--lang", "zh", "list", "regions", env=env).stdout.startswith("区域（")  # a kind, not a field
    listed = cli("--lang", "zh", "list", "designations", env=env).stdout
    assert "示例工业部" in listed and "Fixture Ministry" not in listed
    r = cli("--lang", "zh", "province", "Anhwi")
    assert "安徽省（Anhui）" in r.stderr and "), " not in r.stderr  # Chinese first, joined as Chinese joins


def test_a_limit_beyond_what_sqlite_counts_is_a_usage_error_not_a_traceback() -> None:
    r = cli("list", "clusters", "--limit", "99999999999999999999")
    assert (r.exit_code, r.stdout) == (2, "")
    assert "is not in the range 1<=x<=1000000000" in r.stderr or "it must be at most 1000000000." in r.stderr


def test_near_with_fields_in_chinese_names_the_places_and_directions_in_chinese() -> None:
    r = cli("--lang", "zh", "near", "Suzhou", "--km", "50", "--fields", "name,bearing,where", env={"COLUMNS": "120"})
    assert r.exit_code == 0
    assert "昆山市" in r.stdout and "东" in r.stdout and " E " not in r.stdout and "Kunshan " not in r.stdout


def test_a_month_in_a_citation_reads_as_chinese_writes_it_and_a_span_of_years_is_left_alone() -> None:
    from clusters_cli.render.parts import cited

    i18n.use("zh")
    try:
        assert cited("Page (2025-10, news) · 2011-12 plan") == "Page（2025年10月，新闻） · 2011-12 plan"
    finally:
        i18n.use("en")


def test_clicks_lists_are_parted_between_quoted_items_and_typers_value_error_prefix_is_read_past() -> None:
    """usage_message on messages either Click or Typer 0.28/0.29 may write: a quoted choice holding ", " (or
    a quote, which Python's repr writes in double quotes) stays whole, and "Value error, " never shows."""
    from clusters_cli.cli.compat import usage_message

    choices = "Invalid value for '--f': 'z' is not one of \"it's\", 'b, c', 'd'."
    custom = "Invalid value for '--x': Value error, something of its own"
    assert usage_message(choices) == choices
    assert usage_message(custom) == "Invalid value for '--x': something of its own"
    i18n.use("zh")
    try:
        assert usage_message(choices) == "'--f' 的值无效：'z' 不是 \"it's\"、'b, c'、'd' 之一。"
        assert usage_message(custom) == "'--x' 的值无效：something of its own"
    finally:
        i18n.use("en")


def test_stats_rows_with_fields_name_their_places_in_chinese() -> None:
    r = cli("--lang", "zh", "stats", "--fields", "label,display", "--limit", "50", env={"COLUMNS": "120"})
    assert r.exit_code == 0
    assert "安徽省 2012" in r.stdout and "Anhui 2012" not in r.stdout


def test_a_firm_without_a_chinese_name_is_never_named_by_a_place_of_the_same_id_and_name(tmp_path: Path) -> None:
    pack = tmp_path / "firm.yaml"
    pack.write_text(
        "meta: {title: firm, version: '1'}\n"
        "sources:\n  - {id: firm-src, short_name: Firm, name: Firm, kind: secondary}\n"
        "companies:\n  - id: kunshan\n    name: Kunshan\n    sector: photovoltaics\n"
        "    locator: {source: firm-src, where: here}\n"
        "clusters:\n  - id: firm-pv\n    name: Firm PV\n    sector: photovoltaics\n    status: established\n"
        "    summary: A test.\n    cities: [suzhou]\n    companies: [kunshan]\n"
        "    locator: {source: firm-src, where: here}\n",
        encoding="utf-8",
    )
    r = cli("--lang", "zh", *data_args([*PACKS, str(pack)]), "cluster", "firm-pv", env={"COLUMNS": "120"})
    assert r.exit_code == 0, r.stderr
    assert "昆山市" not in r.stdout and "Kunshan" in r.stdout  # the city Kunshan is 昆山市; the firm has no name


def test_fields_tables_keep_a_figures_place_in_english_and_the_english_name_in_chinese() -> None:
    english = cli("stats", "--fields", "scope", "--limit", "2", env={"COLUMNS": "120"}).stdout
    assert "{" not in english and "Anhui" in english  # a place's name, not its JSON
    chinese = cli("--lang", "zh", "search", "wind", "--fields", "name_zh", "--limit", "2", env={"COLUMNS": "120"})
    assert "Wind" in chinese.stdout  # the English-name column holds the English name


def test_a_word_of_two_meanings_is_told_apart_by_its_context() -> None:
    """`province` is a division's kind (安徽 is a 省) and a kind of entity (省级行政区): one msgid gave 安徽 the
    type 省级行政区. The catalog tells them apart by gettext's msgctxt."""
    from clusters_cli.i18n import C_, kind_word, use, value_word

    use("zh")
    try:
        assert (value_word("province"), kind_word("province"), value_word("municipality")) == (
            "省",
            "省级行政区",
            "直辖市",
        )
        assert C_("no such context", "province") == "省级行政区"  # a context the catalog lacks: the plain word
    finally:
        use("en")
    assert (value_word("province"), kind_word("province")) == ("province", "province")
    rows = cli("--lang", "zh", "list", "provinces", "--no-color").stdout
    assert "安徽省" in rows and "省级行政区（" in rows and " 省 " in rows


def test_chinese_lists_part_names_with_a_dunhao_and_put_the_larger_place_first() -> None:
    """A list of names is parted by 、 (a comma parted them, and the provinces inside each candidate too);
    counts read `企业 3` (`3 个企业` gave firms 个, and `3 个政府` read as three governments); a firm's
    headquarters read 广东省深圳市; counts per pack sit in brackets after the pack's title."""
    ambiguous = cli("--lang", "zh", "city", "Taizhou").stderr
    assert "可能是城市泰州市（Taizhou，江苏省） [taizhou]、台州市（Taizhou，浙江省） [taizhou-zj]" in ambiguous
    verdict = cli("--lang", "zh", "validate").stderr
    assert "来源 6、名单 2、省级行政区 9" in verdict
    from clusters_cli.i18n import use
    from clusters_cli.render.detail import headquarters_text

    city = {"id": "shenzhen", "name": "Shenzhen", "name_zh": "深圳市"}
    province = {"id": "guangdong", "name": "Guangdong", "name_zh": "广东省"}
    use("zh")
    try:
        assert headquarters_text(city, province) == "广东省深圳市"
    finally:
        use("en")
    assert headquarters_text(city, province) == "Shenzhen, Guangdong"
    ranked = " ".join(cli("--lang", "zh", "rank", "provinces", "--sector", "semiconductors").stdout.split())
    assert "计数来源：示例文章数据包（" in ranked and " 个）" in ranked


@pytest.mark.parametrize("columns", [40, 80])
def test_chinese_help_fits_the_terminal_by_its_cells(columns: int) -> None:
    """Click wraps help by characters at spaces: Chinese, two cells a character and no spaces, ran past an
    80-column terminal (the --lang line took 102 cells) and split words where the terminal broke it. Every
    line of every command's help fits, but the examples and an option's own spelling, kept as written."""
    from rich.cells import cell_len

    from clusters_cli.cli.registry import names

    too_wide = []
    for command in ["", *names()]:
        r = cli("--lang", "zh", *([command] if command else []), "--help", env={"COLUMNS": str(columns)})
        assert r.exit_code == 0, command
        for line in r.stdout.splitlines():
            example = line.lstrip().startswith(("clusters ", "示例："))
            option = line.lstrip().startswith("-") and line.isascii()  # an option's spelling, as in English
            if cell_len(line) > columns and not (example or option):
                too_wide.append((command, line))
    assert too_wide == []


def test_a_citation_s_date_is_written_in_chinese_and_the_data_s_dates_are_left_as_they_are() -> None:
    """In Chinese a source's date reads 2024年10月17日, in a citation and in `list sources`' column; a date in a
    title or a `where` is data, shown as written (it was rewritten too)."""
    from clusters_cli.i18n import use
    from clusters_cli.render.parts import cited

    use("zh")
    try:
        text = cited("Fixture (2024-10-17, news) · release of 2019-12-01 (2011-12, a plan) (2019-12)")
        month = cited("Fixture plan (2011-12) (2025-10, report)")
    finally:
        use("en")
    assert text == "Fixture（2024年10月17日，新闻） · release of 2019-12-01 (2011-12, a plan) (2019-12)"
    assert month == "Fixture plan (2011-12)（2025年10月，报告）"
    rows = cli("--lang", "zh", "list", "sources", "--fields", "id,published", env={"COLUMNS": "120"}).stdout
    assert "2022年11月30日" in rows and "2022-11-30" not in rows


def test_a_list_counts_its_rows_alike_in_its_title_and_its_note() -> None:
    """The title said `城市 (19 个中的 3 个)` and the note `显示 19 条中的 3 条`: one measure word, one way of
    writing a number, in both."""
    out = cli("--lang", "zh", "list", "cities", "--limit", "3").stdout
    assert out.splitlines()[0] == "城市（共 19 条，显示 3 条）" and "共 19 条，显示前 3 条" in out


def test_the_chinese_map_page_names_each_division_in_chinese_first(tmp_path: Path) -> None:
    page = tmp_path / "map.html"
    assert cli("--lang", "zh", "map", "--html", str(page)).exit_code == 0
    text = page.read_text(encoding="utf-8")
    assert "<th>行政区</th><th>英文名</th>" in text
    assert '<tr id="division-anhui"><td>CN-AH</td><td lang="zh-Hans">安徽省</td><td>Anhui</td>' in text
    english = tmp_path / "en.html"
    assert cli("map", "--html", str(english)).exit_code == 0
    assert '<td>CN-AH</td><td>Anhui</td><td lang="zh-Hans">安徽省</td>' in english.read_text(encoding="utf-8")


def test_a_cluster_s_title_and_a_batch_of_no_year_read_as_chinese_readers_expect() -> None:
    """A cluster's panel was titled in English alone in Chinese (every other view puts the Chinese name first),
    and a batch named by an ordinal read 第一 ('number one'), not 第一批."""
    title = cli("--lang", "zh", "cluster", "nanshan-chip-design").stdout.splitlines()[0]
    assert "深圳市南山区集成电路设计集群（Nanshan" in title
    assert cli("cluster", "nanshan-chip-design").stdout.splitlines()[0].startswith("╭─ Nanshan")
    assert "各批次    第一批：1" in cli("--lang", "zh", "designation", "fixture-town-clusters").stdout
    assert "By batch  first batch: 1" in cli("designation", "fixture-town-clusters").stdout
    from clusters_cli.i18n import use
    from clusters_cli.render.designations import batches_text

    use("zh")
    try:  # a batch named otherwise is shown as written ('second批' was made of a word the catalog does not hold)
        assert batches_text([{"batch": "second", "year": None, "members": None, "held": 2}]) == "second：2"
    finally:
        use("en")


DATED = """meta: {title: Mine, primary_source: my-page}
sources:
  - {id: my-page, short_name: My page, name: My page, kind: news, published: "2024-10-17",
     address: "https://example.invalid/my-page", sections: [{heading: Only, paragraphs: 1}]}
statistics:
  - {id: my-figure, metric: firms, value: 3, unit: enterprises, qualifier: exact, year: 2024,
     year_basis: stated, status: actual, source: my-page, locator: {section: Only, paragraph: 1}}
"""


def test_a_citation_in_chinese_dates_its_source_as_the_tables_do(tmp_path: Path) -> None:
    """`cite` in Chinese said 发布于 2024-10-17 where every table says 2024年10月17日."""
    mine = tmp_path / "mine.yaml"
    mine.write_text(DATED, encoding="utf-8")
    args = ["--no-shipped", "--data", str(mine)]
    assert "发布于 2024年10月17日。" in cli("--lang", "zh", *args, "cite", "my-figure").stdout
    assert "Published 2024-10-17." in cli(*args, "cite", "my-figure").stdout


def test_a_header_as_a_chinese_table_shows_it_names_its_field() -> None:
    """`--sort 集群` was 'no field' in Chinese: the headers a table shows stood for their fields in English
    alone (README: a column's heading works as its field's name)."""
    zh = cli("--lang", "zh", "list", "provinces", "--sort", "集群", "--reverse", "--fields", "名称,集群", "--json")
    en = cli("list", "provinces", "--sort", "clusters", "--reverse", "--fields", "name,clusters", "--json")
    assert zh.exit_code == 0 and zh.stdout == en.stdout
    # the count's heading is 集群数, as 企业数 and 园区数 are: it names the field too, as 集群 still does
    heading = ["--sort", "集群数", "--reverse", "--fields", "名称,集群数", "--json"]
    shown = cli("--lang", "zh", "list", "provinces", *heading)
    assert shown.exit_code == 0 and shown.stdout == en.stdout
    assert list(zh.json()["rows"][0]) == ["name", "cluster_count"]
    assert cli("list", "provinces", "--sort", "集群").exit_code == 2  # a Chinese header in an English run: no field
    # a header two fields share is never one of them picked (行业 heads both sector and sectors)
    shared = cli("--lang", "zh", "list", "companies", "--fields", "name,行业")
    assert (shared.exit_code, shared.stderr) == (
        2,
        "clusters：错误：“行业”是这里多个字段的标题：sector、sectors；请指明其一\n",
    )
    english = cli("--lang", "zh", "list", "provinces", "--fields", "name,英文名", "--json").json()["rows"][0]
    assert list(english) == ["name", "name_zh"]  # the header the Chinese table gives the English name


@pytest.mark.parametrize("args", [["province", "Anhui", "--lang", "zh"], ["province", "--lang=zh", "Anhui"]])
def test_lang_may_follow_the_command_as_data_may(args: list[str]) -> None:
    """`province Anhui --lang zh` was 'No such option: --lang' (said in Chinese: the language was read)."""
    assert cli(*args).stdout == cli("--lang", "zh", "province", "Anhui").stdout
    # without a value: said so ('No such option: --lang' read as if there were none)
    lone = cli("province", "Anhui", "--lang")
    assert (lone.exit_code, lone.stderr) == (2, "clusters: error: --lang needs a value: zh or en\n")
    # after `--`, words to search for: nothing moves (moved, `--lang zh` left search without its words)
    searched = cli("search", "--json", "--", "--lang", "zh")
    assert searched.exit_code == 1 and searched.json()["query"] == "--lang zh"


def test_a_search_s_close_spellings_are_named_in_chinese_first() -> None:
    """`--lang zh search Huawie` suggested Huawei、Huaibei、Huairen: names the data holds in Chinese too,
    shown in English alone (every other suggestion in Chinese puts the Chinese name first)."""
    zh = cli("--lang", "zh", "search", "Hefie")
    assert (zh.exit_code, zh.stderr) == (1, "没有与“Hefie”匹配的结果。您是否要找：合肥市（Hefei）？\n")
    assert cli("search", "Hefie").stderr == "No matches for 'Hefie'. Did you mean: Hefei?\n"
    assert cli("--lang", "zh", "search", "Hefie", "--json").stdout == cli("search", "Hefie", "--json").stdout


def test_chinese_asides_take_full_width_brackets_and_a_figures_year_reads_with_nian() -> None:
    """In Chinese, what the tool brackets (a count, an English name, a reading, a status, a citation's date and
    kind) takes full-width brackets with no space before them, and a figure's year is written 2012年 (2025年预测
    for a forecast) in stats, a view's figures and compare, as rank and cite write it; English is unchanged."""
    env = {"COLUMNS": "120"}
    stats = cli("--lang", "zh", "stats", env=env).stdout
    assert "人民币金额（3）" in stats and "2012年，Fixture ministry" in stats
    assert "2025年预测，Fixture article (2024)" in stats and "2025年目标，" in stats
    english = cli("stats", env=env).stdout
    assert "Money in RMB (3)" in english and "2025 forecast, Fixture article (2024)" in english
    province = cli("--lang", "zh", "province", "anhui", env=env).stdout
    assert "安徽省（Ānhuī）" in province and "photovoltaic revenue · 安徽省 · 2012年 · Fixture ministry" in province
    assert "安徽省  (Ānhuī)" in cli("province", "anhui", env=env).stdout
    compare = cli("--lang", "zh", "compare", "anhui", "jiangsu", env=env).stdout
    assert "textile revenue，江苏省 2025年预测（Fixture article (2024)）" in compare
    cited = cli("--lang", "zh", "cluster", "anhui-pv", env=env).stdout
    assert "先进示例集群（示例工业部），2022年批次" in cited
    assert "Fixture news page 2022（2022年11月30日，新闻）" in cited
    missed = cli("--lang", "zh", "cite", "anhui-pv").stderr
    assert "（clusters cluster anhui-pv）？" in missed and " (clusters" not in missed


def test_a_level_and_a_kind_of_prefecture_are_told_apart_in_chinese() -> None:
    """`prefecture` is a level (地级), a city's kind (地区, as 阿克苏地区) and a field (所属地级市): a level read
    as the field said 级别：所属地级市."""
    env = {"COLUMNS": "120"}
    listed = cli("--lang", "zh", "list", "cities", "--level", "prefecture", "--fields", "name,level", env=env).stdout
    assert listed.splitlines()[0] == "城市（14） · 级别：地级" and "南京市  地级" in listed
    counties = cli("--lang", "zh", "list", "cities", "--level", "county", "--fields", "name,level", env=env).stdout
    assert "级别：县级" in counties.splitlines()[0] and " prefecture" not in counties and "county" not in counties
    by_kind = cli("--lang", "zh", "list", "cities", "--kind", "prefecture")
    assert by_kind.stderr == "没有符合筛选条件（类型：地区）的城市\n"
    assert "│ Kind      prefecture city (prefecture level)" in cli("city", "nanjing", env=env).stdout
    assert "│ 类型        地级市（地级）" in cli("--lang", "zh", "city", "nanjing", env=env).stdout


def test_a_qualified_yuan_figure_qualifies_its_dollars_too() -> None:
    """'over RMB 700 billion (US$96.3 billion)': in Chinese the 以上 binds to the yuan it follows, so the dollars
    read as the figure itself; both carry the qualifier."""
    from clusters_cli.values import format_value_zh

    figure = {"value": 700, "scale": "billion", "unit": "currency", "currency": "CNY", "usd_value": 96.3,
              "usd_scale": "billion"}  # fmt: skip
    assert format_value_zh({**figure, "qualifier": "over"}) == "7000亿元以上（963亿美元以上）"
    assert format_value_zh({**figure, "qualifier": "approximately"}) == "约7000亿元（约963亿美元）"
    assert format_value_zh({**figure, "qualifier": "exact"}) == "7000亿元（963亿美元）"


def test_a_list_of_choices_in_a_chinese_message_is_parted_with_a_dunhao() -> None:
    zh_error = cli("--lang", "zh", "list", "nothing").stderr
    assert "可选：sources、designations、provinces" in zh_error and ", " not in zh_error
    assert "choose from: sources, designations, provinces" in cli("list", "nothing").stderr
    assert "可选范围内：plain、bibtex、csl-json" in cli("--lang", "zh", "cite", "anhui-pv", "--format", "x").stderr


def test_the_second_reviews_findings_in_both_languages() -> None:
    """compare said 2024年*目标 in Chinese and 2024 in English; a level read 'prefecture level' in an English
    filter; a period had no 年; a narrow terminal cropped a Chinese paragraph."""
    from clusters_cli.values import when_text_zh

    env = {"COLUMNS": "120"}
    english = cli("compare", "anhui", "jiangsu", env=env).stdout
    assert "Anhui 2024* (Fixture article (2024))" in english and "Jiangsu 2025, forecast (Fixture" in english
    assert "* the source gives no year; the year shown is that of its publication" in english
    assert "* 来源未注明年份" in cli("--lang", "zh", "compare", "anhui", "jiangsu", env=env).stdout
    listed = cli("list", "cities", "--level", "prefecture", "--fields", "name,level", env=env).stdout
    assert listed.splitlines()[0] == "Cities (14) · level: prefecture" and "Nanjing prefecture" in " ".join(
        listed.split()
    )
    assert (
        when_text_zh({"period": "2021-2025", "year": 2025, "status": "forecast"}, "年", sep="") == "2021—2025年预测"
    )  # the dash Chinese writes
    narrow = cli("--lang", "zh", "compare", "anhui", "jiangsu", env={"COLUMNS": "14"}).stdout
    assert "计数来源" in narrow and "".join(narrow.split()).count("计数为知识库收录的集群数") == 1


def test_chinese_help_lists_each_command_by_its_words_and_lays_out_as_english_does() -> None:
    """Click cuts a command's line in `--help` at a space, which Chinese has none of: at 40 columns 16 of 20
    commands read "..." alone. And the Chinese help had a blank line more after its text and its examples. Each
    command's line now opens with its words, and both languages' help have blank lines at the same places."""
    listing = cli("--lang", "zh", "--help", env={"COLUMNS": "40"}).stdout
    lines = listing[listing.index("命令：") :].splitlines()[1:]
    firsts = [line.split(maxsplit=1) for line in lines if line.startswith("  ") and not line.startswith("   ")]
    assert len(firsts) >= 20 and all(len(f) == 2 and not f[1].startswith(("...", "…")) for f in firsts)
    assert ["province", "省级行政区…"] in firsts
    # as wide as the help is: at 80 columns a summary is cut only where its first sentence is longer
    wide = cli("--lang", "zh", "--help", env={"COLUMNS": "80"}).stdout
    summaries = [line.split(maxsplit=1)[1] for line in wide[wide.index("命令：") :].splitlines()[1:] if line.strip()]
    assert "  sector       行业：在行业体系中的位置，及其与下属行业的全部集群" in wide.splitlines()
    assert sum(summary.endswith("…") for summary in summaries) <= 8  # 18 of 20 were, cut to 40 cells
    for command in ("city", "map", "export"):
        en, zh = (cli("--lang", lang, command, "--help", env={"COLUMNS": "80"}).stdout for lang in ("en", "zh"))
        assert en.splitlines().count("") == zh.splitlines().count(""), command  # English's blank lines, no more
        assert "\n\n\n" not in zh and not zh.endswith("\n\n"), command


def test_a_language_the_tool_does_not_speak_is_said_not_quietly_english() -> None:
    """`--lang fr` is a usage error, and CLUSTERS_LANG=fr was English without a word: it is still English (a
    variable never stops a run), with a warning; a flag given wins without one, and zh_CN.UTF-8 is Chinese."""
    from helpers import run_many

    fr, flagged = run_many(
        ["province", "Anhui", "--json"], ["--lang", "en", "province", "Anhui", "--json"], env={"CLUSTERS_LANG": "fr"}
    )
    assert fr.exit_code == flagged.exit_code == 0 and fr.stdout == flagged.stdout
    assert fr.stderr == "clusters: warning: CLUSTERS_LANG=fr is neither zh nor en; English is used\n"
    assert flagged.stderr == ""
    (zh,) = run_many(["nowhere-command"], env={"CLUSTERS_LANG": "zh_CN.UTF-8"})
    assert zh.exit_code == 2 and "警告" not in zh.stderr and "错误" in zh.stderr
    # a TAB press completing a command says nothing on the terminal
    completing = {"_CLUSTERS_COMPLETE": "complete_bash", "COMP_WORDS": "clusters pro", "COMP_CWORD": "1"}
    (tab,) = run_many([], env={**completing, "CLUSTERS_LANG": "fr"})
    assert tab.stdout.split() == ["province"] and tab.stderr == ""


def test_a_chinese_notice_is_wrapped_as_chinese_paragraphs_are() -> None:
    """At 30 columns Rich broke `显示 苏州工业园区，对应“苏州工业”（其某个名称的开头）` after 显示 and ended a line
    with （: a notice above a table is wrapped by the tables' rule too."""
    r = cli("--lang", "zh", "park", "苏州工业", env={"COLUMNS": "30"})
    lines = r.stdout.splitlines()
    notice = lines[: next(i for i, line in enumerate(lines) if line.startswith("╭"))]
    assert notice and not any(line.rstrip().endswith("（") for line in notice) and notice[0] != "将"


def test_columns_chosen_with_fields_have_chinese_headers_none_twice() -> None:
    """`--fields` columns were headed in English in a Chinese table (lat, lon, qualifier, year basis...), the raw
    value and the figure as written were both 数值, and a pair was 对 and the group of pairs 对数 (logarithm)."""
    cities = cli("--lang", "zh", "list", "cities", "--fields", "name,lat,lon", "--limit", "1").stdout.splitlines()
    assert cities[1].split() == ["名称", "纬度", "经度"]
    figures = cli("--lang", "zh", "list", "statistics", "--fields", "name,value,display", "--limit", "1")
    assert figures.stdout.splitlines()[1].split() == ["名称", "原始数值", "数值"]
    from clusters_cli.i18n import _, use

    use("zh")
    assert (_("Pairs"), _("pairs"), _("year basis"), _("qualifier")) == ("按双计", "双", "年份依据", "限定")
    use("en")


def test_a_chinese_panel_parts_a_list_of_specialties_with_a_dunhao() -> None:
    """A cluster's specialties and towns, and a sector's synonyms, were joined by ', ' in a Chinese panel where
    every list of names is joined by 、."""
    shown = cli("--lang", "zh", "cluster", "yrd-ic").stdout
    specialties = cli("cluster", "yrd-ic", "--json").json()["cluster"]["specialties"]
    assert len(specialties) > 1 and "、".join(specialties) in " ".join(shown.split())


def test_a_division_s_seat_is_named_as_chinese_names_it_for_its_kind() -> None:
    """Every province's panel said 省会/首府 (and Beijing's seat was its 省会/首府): a province has a 省会, an
    autonomous region a 首府, a municipality or special administrative region a 驻地, itself."""
    anhui = " ".join(cli("--lang", "zh", "province", "Anhui").stdout.split())
    beijing = " ".join(cli("--lang", "zh", "province", "Beijing").stdout.split())
    assert "省会 合肥市" in anhui and "合肥市（省会）" in anhui and "省会/首府" not in anhui
    assert "驻地 北京市" in beijing and "北京市（驻地）" in beijing
    from clusters_cli.i18n import use
    from clusters_cli.render.detail import _capital_word

    use("zh")
    assert [_capital_word(k) for k in ("province", "autonomous_region", "special_administrative_region")] == [
        "省会",
        "首府",
        "驻地",
    ]
    use("en")
    assert _capital_word("autonomous_region") == "Capital"


def test_a_series_bar_and_a_period_write_their_years_as_chinese_does() -> None:
    """A series' bars read `安徽省 2012` and a period `2020-2025年`: a year is 2012年 and a period 2020—2025年."""
    stats = cli("--lang", "zh", "stats", "--province", "Anhui", env={"COLUMNS": "120"}).stdout
    assert "安徽省 2012年" in stats and "安徽省 2012 " not in stats
    from clusters_cli.i18n import use
    from clusters_cli.render.parts import bar_label

    use("zh")
    bar = {"label": "Anhui 2020-2025", "scope_label": "Anhui", "scope": {"province": {"id": "anhui", "name": "Anhui"}}}
    assert bar_label(bar).endswith(" 2020—2025年")
    use("en")


def test_a_filter_s_value_is_taken_by_the_word_a_table_shows_for_it() -> None:
    """Tables in Chinese show 新兴, 县级 and 县级市, and `--status 新兴` was refused: a value is taken as the data
    writes it or by its word in either language, and a refusal in Chinese glosses every value."""
    emerging = {r["id"] for r in cli("list", "clusters", "--status", "emerging", "--json").json()["rows"]}
    assert (
        emerging and {r["id"] for r in cli("list", "clusters", "--status", "新兴", "--json").json()["rows"]} == emerging
    )
    county = cli("list", "cities", "--level", "县级", "--json").json()
    assert county["filters"] == {"level": "county"} and county["rows"]
    assert cli("list", "cities", "--kind", "County City", "--json").json()["filters"] == {"kind": "county_city"}
    r = cli("--lang", "zh", "list", "clusters", "--status", "新型")
    assert r.exit_code == 2 and "emerging（新兴）" in r.stderr
    for wrong in (["--kind", "地级"], ["--kind", "所属地级市"], ["--level", "地区"], ["--level", "县"]):
        assert cli("list", "cities", *wrong).exit_code == 2, wrong  # a level's word is no kind, a kind's no level
    forecasts = cli("stats", "--status", "forecast", "--json").json()["filters"]
    assert cli("stats", "--status", "预测", "--json").json()["filters"] == forecasts == {"status": "forecast"}


def test_no_group_title_of_stats_holds_a_bracket_its_count_would_double() -> None:
    # a group's title is followed by its count in brackets: 金额（人民币）（32） read as two asides
    from clusters_cli.views.stats import MONEY_TITLES, UNIT_TITLES

    titles = [*UNIT_TITLES.values(), *MONEY_TITLES.values()]
    for language in ("en", "zh"):
        i18n.use(language)
        for title in titles:
            assert not set(i18n._(title)) & set("()（）"), (language, title)
    i18n.use("en")


def test_a_regions_defining_document_is_cited_in_chinese_as_chinese_cites_one() -> None:
    """`region 长三角` read 长江三角洲区域一体化发展规划纲要, 中共中央、国务院, 2019-12-01 in Chinese: the pack's
    `title, issuer, date`, with English commas and an ISO date. In Chinese the title is in 《》 and the date
    Chinese; a text of another shape stays as written, and English as written."""
    from clusters_cli.i18n import use
    from clusters_cli.render.detail import _document

    written = "珠江三角洲地区改革发展规划纲要(2008—2020年), 国家发展和改革委员会, 2009-01-08"
    use("zh")
    try:
        cited = "《珠江三角洲地区改革发展规划纲要(2008—2020年)》，国家发展和改革委员会，2009年1月8日"
        assert _document(written) == cited
        # an aside with a comma in the issuer's brackets stays the issuer's (the title's 《》 closed inside it)
        mid = "长江中游城市群发展规划, 国家发展改革委 (approved by 国务院, 国函〔2015〕62号), 2015-04-13"
        expected = "《长江中游城市群发展规划》，国家发展改革委 (approved by 国务院, 国函〔2015〕62号)，2015年4月13日"
        assert _document(mid) == expected
        assert _document("A plan (draft, 2, 2019-12-01") == "A plan (draft, 2, 2019-12-01"  # brackets unpaired
        assert _document("A plan, its issuer, undated") == "A plan, its issuer, undated"
        assert _document("A plan, 2019-12-01") == "A plan, 2019-12-01"
    finally:
        use("en")
    assert _document(written) == written


@pytest.mark.parametrize(
    ("city", "said"),
    [("hefei", "安徽省（省会）"), ("nanning", "广西壮族自治区（首府）"), ("beijing", "北京市（本市为其省级行政中心）")],
)
def test_a_capital_is_called_in_a_citys_view_what_its_provinces_view_calls_it(city: str, said: str) -> None:
    """A city's view called every capital 本市为其省级行政中心 where its province's view says 省会 or 首府 (the
    audit of the Chinese interface): it reads the province's kind from its Chinese name (省, 自治区); a
    municipality, its own seat, as before. English says `(its capital)` of each."""
    lines = [" ".join(line.strip("│ ").split()) for line in cli("--lang", "zh", "city", city).stdout.splitlines()]
    assert f"省级行政区 {said}" in lines
    assert "  (its capital)" in cli("city", city).stdout


def test_a_pack_s_chinese_title_names_it_in_chinese_and_its_english_one_in_english(tmp_path: Path) -> None:
    """A pack's `title_zh` names it wherever the Chinese interface names a pack (the counts' note under a list,
    rank or map, the published map's credits, info); a pack without one keeps its title; English and the
    documents keep the English title, with the Chinese beside it (`pack_zh`, `title_zh`)."""
    chinese = " ".join(cli("list", "provinces", "--lang", "zh").stdout.split())
    assert "计数来源：示例文章数据包" in chinese and "Fixture pages pack" in chinese
    assert "Counted from: Fixture article pack" in " ".join(cli("list", "provinces").stdout.split())
    counted = cli("list", "provinces", "--json").json()["counted_from"]
    assert {(c["pack"], c["pack_zh"]) for c in counted} >= {("Fixture article pack", "示例文章数据包")}
    svg = tmp_path / "m.svg"
    assert cli("map", "--svg", str(svg), "--lang", "zh").exit_code == 0
    assert "示例文章数据包" in svg.read_text(encoding="utf-8")
    info = cli("info", "--lang", "zh").stdout
    assert "示例文章数据包" in info and "Fixture divisions (reference pack)" in info
    assert cli("info", "--json").json()["packs"][1]["title_zh"] == "示例文章数据包"
