"""Each of the five real articles is detected, described and cleaned correctly.

Expected values were read off the raw files by hand, not produced by the code under test.
"""

import re

import pytest

from ingest import DocumentFormat
from tests.support.paths import ALL_SOURCES, BBC_JAN, BBC_SEPT, PAPER, VOA, WSJ

EXPECTED = {
    WSJ: dict(
        format=DocumentFormat.WRAPPED_TEXT,
        title="普丁意想不到的挑战：来自中亚盟友的冷落",
        url="https://cn.wsj.com/articles/CT-BGH-20220107094920",
        published=None,  # the article carries no date; the URL's number contradicts its June/July events
        publisher="WSJ/Initium",
    ),
    BBC_SEPT: dict(
        format=DocumentFormat.MARKDOWN,
        title="乌克兰战争下哈萨克斯坦的东西方平衡外交",
        url=None,
        published=None,
        publisher="BBC",
    ),
    PAPER: dict(
        format=DocumentFormat.WORD_EXPORT,
        title="盟友亦或中立：哈萨克斯坦对俄乌冲突的态度分析",
        url=None,
        published=None,
        publisher="马燕宁",
    ),
    VOA: dict(
        format=DocumentFormat.FEED_HTML,
        title="中俄“背靠背”合作最终或因中亚破裂",
        url="https://www.voachinese.com/a/US-China-Central-Asia-01232022/6409199.html",
        published="2022-01-23",
        publisher="VOA",
    ),
    BBC_JAN: dict(
        format=DocumentFormat.FEED_HTML,
        title="哈萨克斯坦骚乱：俄罗斯战略后院和中国一带一路重要伙伴",
        url="https://www.bbc.com/zhongwen/simp/world-59967065",
        published="2022-01-13",
        publisher="BBC",
    ),
}

# Sentences that must survive cleaning intact; several were hard-wrapped or split by markup.
KNOWN_SENTENCES = {
    WSJ: [
        "今年年初，俄罗斯向其长期以来的盟友哈萨克斯坦派遣了2,000多名士兵，帮助镇压当地的反政府暴力骚乱。",
        "俄哈两国边境线长达4,750英里（约合7,644公里），是仅次于美加边境的世界第二长边境线。",
        "哈萨克斯坦议员Sayasat Nurbek引述了一则有关花栗鼠身上如何出现条纹的西伯利亚童话故事来解释哈萨克斯坦行事的理由。",
        "他表示，虽然克里姆林宫还没有感到不安，但如果哈萨克斯坦政府转向敌对，",
        "北大西洋公约组织（North Atlantic Treaty Organization",
        "哈萨克斯坦还将国防预算增加了4,410亿坚戈（约合9.18亿美元）。",
        "世界银行（The World Bank）预测，中亚经济今年将平均收缩4.1%。",
    ],
    BBC_SEPT: [
        "哈萨克斯坦约有140个民族，与该国历史变迁分不开。",
        "比较吸引西方关注的是，哈萨克斯坦作为世俗国家人口的3/4是穆斯林。",
        "上合组织各国人口总数约为世界总人口的43%。",
        "其中人口最多的两大族哈萨克族占约70％，俄罗斯族占比已经不足20％。",
    ],
    PAPER: [
        "俄哈拥有世界上最长的一段陆地边境线——6846公里",
        "当强国的意图无法被判定为是否有敌意时，国家可能会追随强者。沃尔特对联盟的假设适用于解释俄哈联盟",
        "2017-2021：俄罗斯GDP（平均值）1637.8，哈萨克斯坦GDP（平均值）177.9，比值9.2:1。",
        "1992-1996：俄罗斯GDP（平均值）415.5，哈萨克斯坦GDP（平均值）22.2，比值18.7:1。",
        "今年1—9月，俄哈双边贸易额达183.53亿美元，同比增长5%",
        "最后，中国需要密切关注中亚地区安全局势",
    ],
    VOA: [
        "俄罗斯总统普京2月4日将出席北京的冬奥会开幕式。",
        "中国起先表示哈萨克斯坦发生的抗议是其内政，中国不予干涉。后来，中国又表示愿意",
        "根据中国驻哈萨克斯坦大使馆的数据，2005至2020年间，中国在哈萨克斯坦的投资金额高达192亿美元",
    ],
    BBC_JAN: [
        "中亚内陆国家哈萨克斯坦被称为俄罗斯的“战略后院”，也是中国一带一路最重要的伙伴国之一。",
        "该组织现有俄罗斯、白俄罗斯、亚美尼亚、哈萨克斯坦、塔吉克斯坦和吉尔吉斯斯坦6个成员国。",
        "俄国迅速出动了70多架军用运输机，将一个师及两个旅的空降特种部队布署到哈萨克斯坦",
        "哈萨克斯坦总统托卡耶夫2019年访华。他曾经在中国留学，能说流利的汉语。",  # a caption, kept
    ],
}

# What must be gone from every body: markup, navigation, promotion.
LEFTOVERS = {
    "footnote markup": re.compile(r"\[footnoteRef:\d+\]|\[\d+:\s|\[bookmark:"),
    "HTML tags": re.compile(r"</?[a-zA-Z][^>]*>"),
    "HTML entities": re.compile(r"&(amp|lt|gt|quot|nbsp|#\d+);"),
    "Markdown images or headings": re.compile(r"!\[|^#+\s|\*\*", re.M),
    "image files": re.compile(r"\.(jpg|jpeg|png|webp)\b", re.I),
    "photo credits": re.compile(r"图像来源|Reuters|Khabar 24|Xinhua News Agency"),
    "promotion": re.compile(r"付费会员|尊享会员|购买/升级|原价"),
    "feed footer": re.compile(r"RSS|feedx"),
    "related links": re.compile(r"一带一路：中国如何塑造哈萨克斯坦未来|吉尔吉斯斯坦“变天”"),
    "wrap artifacts": re.compile(r"[\u4e00-\u9fff] [\u4e00-\u9fff]"),
    "relative time chrome": re.compile(r"分钟前"),
}


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_metadata_is_extracted_exactly(documents, source):
    document = documents[source].document
    for field, expected in EXPECTED[source].items():
        assert getattr(document, field) == expected, field


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_every_document_has_the_required_metadata_keys(documents, source):
    metadata = documents[source].document.metadata()
    assert {"source", "title", "format"} <= metadata.keys()
    assert metadata["source"] == source
    assert all(value is not None for value in metadata.values())


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_known_sentences_survive_intact(documents, source):
    text = documents[source].document.text
    missing = [sentence for sentence in KNOWN_SENTENCES[source] if sentence not in text]
    assert not missing


@pytest.mark.parametrize("source", ALL_SOURCES)
@pytest.mark.parametrize("kind", sorted(LEFTOVERS))
def test_no_markup_or_chrome_is_left_in_the_body(documents, source, kind):
    match = LEFTOVERS[kind].search(documents[source].document.text)
    assert match is None, f"{kind} left in {source}: {match.group(0)!r}"


@pytest.mark.parametrize("source", ALL_SOURCES)
def test_ingesting_the_corpus_raises_no_warnings(documents, source):
    assert documents[source].document.warnings == []


def test_wrapped_text_keeps_the_english_original_title(documents):
    document = documents[WSJ].document
    assert document.title_en == "Putin’s Unexpected Challenge: Snubs From His Central Asian Allies"
    assert "英文原文" not in document.text and "cn.wsj.com" not in document.text


def test_wrapped_text_joins_words_broken_across_lines(documents):
    text = documents[WSJ].document.text
    assert "镇压当地" in text
    assert "镇压当\n" not in text
    # Real paragraph breaks survive: the short line "但哈萨克斯坦并没有这么做。" stands alone.
    assert "\n\n但哈萨克斯坦并没有这么做。\n\n" in text


def test_wrapped_text_keeps_the_attribution_but_not_the_sales_pitch(documents):
    text = documents[WSJ].document.text
    assert "\n\n本文原刊于《华尔街日报》，端传媒获授权转载。\n\n" in text
    assert "目前，《华尔街日报》中文版全部内容" not in text


def test_wrapped_text_drops_the_duplicated_line_tail(documents):
    text = documents[WSJ].document.text
    assert "报答恩情。助镇压" not in text
    assert text.count("帮助镇压当地的反政府暴力骚乱") == 1


def test_markdown_headings_become_sections_not_body(documents):
    document = documents[BBC_SEPT].document
    headings = [s.heading for s in document.sections]
    assert headings == [
        "历史和民族构成变迁",
        "乌克兰战争和哈萨克斯坦内部骚乱",
        "中国和哈萨克斯坦的相互战略需要",
        "加强与包括北约在内的西方关系",
    ]
    history = document.text.index("哈萨克斯坦约有140个民族")
    assert document.section_at(history) == "历史和民族构成变迁"
    assert document.text.count("乌克兰战争下哈萨克斯坦的东西方平衡外交") == 0  # the title is not body text


def test_markdown_caption_text_is_kept_without_its_label(documents):
    text = documents[BBC_SEPT].document.text
    assert "哈萨克斯坦总统托卡耶夫是个中国通，也善长国际外交。" in text
    assert "图像加注文字" not in text


def test_word_export_author_line_is_metadata_and_its_note_is_front_matter(documents):
    document = documents[PAPER].document
    assert document.author == "马燕宁"
    assert "马燕宁[" not in document.text and "\n马燕宁\n" not in document.text
    note = (
        "马燕宁，浙江财经大学哈萨克斯坦经济社会研究中心助理研究员。本文为“第11届东亚斯拉夫欧亚研究国际研讨会”参会论文。"
    )
    assert document.text.startswith(note + "\n\n摘要：")
    assert document.footnotes[0] == note


def test_word_export_footnotes_stay_available_with_their_positions(documents):
    document = documents[PAPER].document
    assert len(document.footnotes) == 57  # bodies [0:] … [56:] in the raw file
    assert document.footnotes[1] == "斯蒂芬·沃尔特：《联盟的起源》，上海：上海人民出版社，2018年，第179-180页。"
    first = next(ref for ref in document.footnote_refs if ref.number == 1)
    # Marker 1 followed "…国家可能会追随强者。" in the raw text.
    assert document.text[first.offset - len("国家可能会追随强者。") : first.offset] == "国家可能会追随强者。"


def test_word_export_numbered_headings_become_sections(documents):
    headings = [s.heading for s in documents[PAPER].document.sections]
    assert "1、俄哈关系：自主与依赖的微妙平衡" in headings
    assert "（1）官方中立表述" in headings
    assert "（三）经济、民族问题上的有限博弈" in headings
    assert "4、结论与展望" in headings
    assert not any(h.startswith("第1") for h in headings)  # "第1， 保持…" is a list item, not a heading


def test_word_export_table_rows_are_readable_lines(documents):
    text = documents[PAPER].document.text
    assert "表1俄罗斯与哈萨克斯坦国内生产总值比较，单位：十亿美元" in text
    rows = re.findall(r"^\d{4}-\d{4}：.*$", text, re.M)
    assert len(rows) == 6
    assert "2002-2006：俄罗斯GDP（平均值）624.2，哈萨克斯坦GDP（平均值）47.3，比值13.2:1。" in rows


def test_feed_items_keep_their_subheadings_as_sections(documents):
    voa = [s.heading for s in documents[VOA].document.sections]
    assert voa == [
        "哈萨克斯坦事件暴露了中国在中亚的脆弱",
        "中国目前不会挑战俄罗斯的地位，俄罗斯也不害怕中国",
        "中长期，中国不会满足现在的分工",
    ]
    bbc = [s.heading for s in documents[BBC_JAN].document.sections]
    assert bbc[0] == "哈萨克斯坦骚乱：发生了什么？"
    assert "集安组织是什么？" in bbc


def test_feed_item_date_line_is_metadata_not_body(documents):
    assert "Jan 2022" not in documents[VOA].document.text
