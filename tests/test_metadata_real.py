"""Body, level, year and publication date as real report pages print them.

The figures on the 75 real excerpts in ../shared/real/excerpts (skipped where absent), then one
small hand-written case per page shape the reader handles, each with a near miss: a line that
looks like a body or a date but must not be taken.
"""

from pathlib import Path

import pytest
import yaml

from auditor.errors import InputError
from auditor.facts.issuer import level_of
from auditor.ingest import decode_source
from auditor.pipeline import parse_file, parse_source

REAL = Path(__file__).resolve().parents[2] / "shared" / "real"
EXCERPTS = REAL / "excerpts"


# ---- the real excerpts ---------------------------------------------------------------------

@pytest.fixture(scope="module")
def excerpt_scores() -> tuple[int, dict, list]:
    if not EXCERPTS.is_dir():
        pytest.skip("../shared/real is not available on this machine")
    ok = {"body": 0, "level": 0, "year": 0, "published": 0}
    misses, count = [], 0
    for path in sorted(EXCERPTS.glob("*.txt")):
        expected = yaml.safe_load(path.with_suffix(".yaml").read_text(encoding="utf-8"))
        count += 1
        try:
            meta = parse_file(path).report.metadata
            got = {"body": meta.body or None, "level": meta.level, "year": meta.year, "published": meta.published or None}
        except InputError:
            got = {}
        for key in ok:
            want = expected[key]
            want = str(want) if key == "published" and want else want
            if got.get(key) == want:
                ok[key] += 1
            else:
                misses.append((path.name, key, want, got.get(key)))
    return count, ok, misses


def test_excerpt_figures(excerpt_scores):
    count, ok, misses = excerpt_scores
    assert count == 75
    assert ok["body"] >= 72, misses  # 95% exact
    assert ok["level"] >= 68, misses  # 90%
    assert ok["year"] == 75, misses
    assert ok["published"] >= 71, misses


def test_pingtan_reports():
    folder = REAL / "pingtan"
    if not folder.is_dir():
        pytest.skip("../shared/real is not available on this machine")
    for path in sorted(folder.glob("*.txt")):
        meta = parse_file(path).report.metadata
        # a 综合实验区 is run by a 管委会, as development zones are: level unknown
        assert (meta.body, meta.level, meta.year) == ("平潭综合实验区", "unknown", int(path.stem)), path.name
        assert meta.published.startswith(str(int(path.stem) + 1)), path.name


# ---- page shapes, each with a near miss ------------------------------------------------------

def _meta(head: str, overview: str = "本年度主动公开政府信息20条。", tail: str = ""):
    text = f"{head}\n一、总体情况\n{overview}\n二、主动公开政府信息情况\n三、收到和处理政府信息公开申请情况\n{tail}\n"
    return parse_source(decode_source(text.encode("utf-8"), "<case>")).report.metadata


def test_title_split_over_lines_and_repeated_without_body():
    meta = _meta("2023年政府信息公开工作年度报告\n青山县人民政府\n2023年政府信息公开工作年度报告")
    assert (meta.body, meta.year) == ("青山县人民政府", 2023)
    meta = _meta("清河镇人民政府2022年度政府\n\n信息公开工作年度报告")
    assert (meta.body, meta.year) == ("清河镇人民政府", 2022)
    # near miss: page chrome above a title is not part of the body
    meta = _meta("无障碍\n当前位置:首页 > 公告公示\n\n云溪市人民政府办公室2021年政府信息公开工作年度报告")
    assert meta.body == "云溪市人民政府办公室"


def test_title_with_a_stray_year_or_a_year_without_nian():
    assert _meta("2025青山县清河乡2025年度政府信息公开工作年度报告").body == "青山县清河乡"
    meta = _meta("清河镇人民政府办公室\n\n2023政府信息公开工作年度报告")
    assert (meta.body, meta.year) == ("清河镇人民政府办公室", 2023)


def test_title_run_into_the_first_sentence():
    meta = _meta("城东街道2024年政府信息公开工作年度报告根据《中华人民共和国政府信息公开条例》编制。")
    assert (meta.body, meta.level) == ("城东街道", "街道")
    # near miss: a sentence that ends in a report title is no title
    meta = _meta("根据《条例》要求,现将2024年政府信息公开工作年度报告\n公布如下。", overview="2024年,我局主动公开信息5条。")
    assert meta.body == ""


def test_breadcrumb_is_no_body():
    meta = _meta("当前位置: 首页\n> 政务公开 > 乡镇街道 > 清河镇 > 政府信息公开年报\n发布机构 清河镇\n2023年清河镇政府信息公开工作年度报告")
    assert (meta.body, meta.level) == ("清河镇", "乡镇")
    # near miss: a breadcrumb that ends in the title gives the title's body, not the crumbs
    meta = _meta("云溪市人民政府门户网站 云溪市统计局 政府信息公开年报 云溪市统计局2023年度信息公开工作年度报告")
    assert (meta.body, meta.level) == ("云溪市统计局", "市级部门")


def test_report_names_itself_in_its_first_sentence():
    meta = _meta("根据《条例》规定,现公布云溪市统计局2022年政府信息公开工作年度报告。")
    assert (meta.body, meta.level) == ("云溪市统计局", "市级部门")
    meta = _meta("本报告由信访局结合有关统计数据编制。", overview="明确各股室政府信息公开职责。我局主动公开信息5条。")
    assert (meta.body, meta.level) == ("信访局", "县级部门")  # 股室 are county units
    # near miss: the report speaks of itself, it does not name itself
    meta = _meta("根据《条例》规定,现公布我局2022年政府信息公开工作年度报告。", overview="我局严格按照县政府要求公开信息。")
    assert (meta.body, meta.level) == ("", "县级部门")


def test_short_form_defined_in_the_text():
    meta = _meta("江南省北湾经济区规划建设管理办公室(以下简称省北湾办)编制本报告。\n省北湾办2022年政府信息公开工作年度报告")
    assert (meta.body, meta.level) == ("江南省北湾经济区规划建设管理办公室", "省级部门")


def test_subject_of_dated_sentences():
    meta = _meta("本报告根据《条例》编制。", overview="2021年,青山县人力资源和社会保障局认真贯彻落实《条例》。")
    assert (meta.body, meta.level) == ("青山县人力资源和社会保障局", "县级部门")
    meta = _meta("本报告根据《条例》编制。", overview="截至2019年12月31日,白石乡人民政府通过信息平台公开信息3条。")
    assert meta.body == "白石乡人民政府"
    # near miss: "在县委、县政府的领导下" holds no name
    meta = _meta("本报告根据《条例》编制。", overview="2021年,在县委、县政府的坚强领导下,我县政务公开工作稳步推进。")
    assert (meta.body, meta.level) == ("", "县级政府")


def test_contact_line_names_the_body_when_it_fits():
    meta = _meta("如对本报告有任何疑问,请与云溪市商务局联系(电话:0000-1234567)。", overview="2020年,我局主动公开信息8条。")
    assert (meta.body, meta.level) == ("云溪市商务局", "市级部门")
    # near miss: a whole-city report (我市) gives the compiling office as its contact
    meta = _meta("如对本报告有任何疑问,请与云溪市人民政府办公厅联系。", overview="2021年,我市深入推进政务公开,全市发布信息100条。")
    assert (meta.body, meta.level) == ("", "市级政府")


def test_names_in_the_prose_must_fit_the_report():
    meta = _meta("本报告根据《条例》编制。", overview="2022年,我区通过云溪市南湖区政务微信平台发布信息6348条。")
    assert (meta.body, meta.level) == ("云溪市南湖区", "县级政府")
    # near miss: a street office's report names the district's website, not itself
    meta = _meta("本报告根据《条例》编制。", overview="2022年我街依托云溪市南湖区人民政府网站发布我街工作动态。")
    assert (meta.body, meta.level) == ("", "街道")
    # near miss: sentence fragments are no names
    meta = _meta("本报告根据《条例》编制。", overview="我委梳理数据集,接入省政务大数据中心进行共享。我委多层面公开机关事务发展战略格局。")
    assert (meta.body, meta.level) == ("", "省级部门")


def test_name_completed_to_its_fullest_printed_form():
    meta = _meta("清河镇2023年政府信息公开工作年度报告\n如对本报告有任何疑问,请联系:青山县清河镇人民政府信息公开领导小组办公室,电话:0000-1234567。")
    assert meta.body == "青山县清河镇人民政府"
    meta = _meta("城东街道2020年政府信息公开工作年度报告", tail="\n六、其他需要报告的事项\n无。\n云溪市南湖区城东街道办事处\n2021年1月20日")
    assert (meta.body, meta.published) == ("云溪市南湖区城东街道办事处", "2021-01-20")
    # near misses: an address, an account name in quotes, an area's government office
    meta = _meta("城西街道2024年政府信息公开工作年度报告\n请与城西街道党政办公室联系(地址:南湖区城西街道人民路1号)。")
    assert meta.body == "城西街道"
    meta = _meta("解放街道办事处2020年政府信息公开工作年度报告", overview="通过微信公众号“云溪市解放街道办事处”公开信息73条。")
    assert meta.body == "解放街道办事处"
    meta = _meta("南湖区2021年政府信息公开工作年度报告\n本报告由南湖区人民政府办公室综合区政府各部门的年度报告编制而成。")
    assert (meta.body, meta.level) == ("南湖区", "县级政府")


@pytest.mark.parametrize("body, level", [
    ("青山县清河镇人民政府办公室", "乡镇"),
    ("云溪市高新区城东办事处", "街道"),
    ("云溪市高新技术产业开发区", "unknown"),
    ("金山产业园管理委员会", "unknown"),
    ("天津市城市管理委员会", "省级部门"),
    ("北京市西城区人民政府", "县级政府"),
    ("江南省人民政府办公厅", "省级政府"),
    ("宁夏回族自治区政府国资委", "省级部门"),
    ("云溪市人民政府外事办公室", "市级部门"),
    ("云溪盟农牧局", "市级部门"),
    ("云溪市区域经济合作局", "市级部门"),
    ("县人社局", "县级部门"),
    ("信访局", "unknown"),  # no place in the name: the level comes from the text
])
def test_level_from_the_name(body, level):
    assert level_of(body) == level


def test_county_level_city():
    meta = _meta("根据《条例》规定,现公布白沙市2022年政府信息公开工作年度报告。",
                 overview="我市参加江南省政务公开工作专题培训1次、云溪市政务公开工作专题培训1次。")
    assert (meta.body, meta.level) == ("白沙市", "县级政府")
    # near miss: a city that names only itself
    meta = _meta("根据《条例》规定,现公布白沙市2022年政府信息公开工作年度报告。", overview="我市按照白沙市政府要求开展培训。")
    assert meta.level == "市级政府"


def test_publication_date_shapes():
    title = "清河镇2023年政府信息公开工作年度报告"
    assert _meta(f"- 发布日期\n- 2024-01-16\n{title}").published == "2024-01-16"  # label above the date
    assert _meta(f"{title}\n| 发布机构 | 清河镇人民政府 | 发布日期 | 2024-01-19 16:58 |").published == "2024-01-19"
    assert _meta(f"{title}\n更新时间:2024-01-15 发布时间: | 来源:本网").published == "2024-01-15"
    assert _meta(f"{title}\n时间:2024年02月17日").published == "2024-02-17"
    assert _meta(f"{title}\n2024-03-2918:26\n来源:").published == "2024-03-29"  # date and time run together
    assert _meta(f"{title}\n2024-1-7\n").published == "2024-01-07"
    # near misses: an effective date, a statistics period
    assert _meta(f"| 生效日期: | 2024-02-12 | 废止日期: | |\n{title}").published == ""
    assert _meta(f"{title}\n2023年1月1日至2023年12月31日的数据。").published == ""
