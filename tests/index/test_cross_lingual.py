"""English question → Chinese corpus keywords, with the real CC-CEDICT and the real corpus vocabulary."""

from __future__ import annotations

from collections import Counter

import pytest

from index import cross_lingual
from index.chinese_tokenizer import ChineseTokenizer, TokenizerMode
from index.cross_lingual import Lexicon, english_name


@pytest.fixture(scope="module")
def texts(corpus_report) -> list[str]:
    return [item.document.text for item in corpus_report.documents]


@pytest.fixture(scope="module")
def vocabulary(texts) -> Counter[str]:
    tokenize = ChineseTokenizer(TokenizerMode.SEARCH)
    return Counter(token for text in texts for token in tokenize(text))


@pytest.fixture(scope="module")
def lexicon(vocabulary, texts) -> Lexicon:
    return Lexicon.build(vocabulary, corpus_texts=texts)


@pytest.fixture(scope="module")
def vocabulary_only(vocabulary) -> Lexicon:
    return Lexicon.build(set(vocabulary))


def test_border_question_finds_border_and_both_countries(lexicon):
    for question in (
        "How long is the border between Russia and Kazakhstan?",
        "According to the Wall Street Journal piece, how long is the Russia–Kazakhstan border?",
    ):
        words = lexicon.translate(question)
        assert {"边境", "边境线"} & set(words), words
        assert {"俄罗斯", "哈萨克斯坦"} <= set(words), words


def test_names_missing_from_cedict_come_from_the_supplement(lexicon):
    words = lexicon.translate("How long did Nazarbayev rule Kazakhstan? What did Tokayev and the CSTO do?")
    assert {"纳扎尔巴耶夫", "哈萨克斯坦", "托卡耶夫", "集安组织"} <= set(words), words


def test_hold_power_finds_the_corpus_word_for_ruling(lexicon):
    # CC-CEDICT glosses 执政 as "to hold power / in office" and 统治 ("to rule") is not in the corpus,
    # so "rule" itself cannot reach 执政; the phrase the dictionary uses does.
    assert "执政" in lexicon.translate("How long did Nazarbayev hold power?")
    assert "执政" in lexicon.translate("How long was he in office?")


def test_a_phrase_beats_its_single_words(lexicon):
    words = lexicon.translate("When and where did Xi Jinping first propose the Belt and Road Initiative?")
    assert {"习近平", "一带一路", "提出"} <= set(words), words
    assert "道路" not in words  # "road" alone is not looked up once the phrase matched


def test_acronym_from_a_gloss_parenthesis(lexicon):
    words = lexicon.translate("What share of the world's population do the SCO member states account for?")
    assert {"上合组织", "上海合作组织"} & set(words), words
    assert "人口" in words


def test_un_human_rights_council_vote(lexicon):
    words = lexicon.translate("Why did Kazakhstan vote against suspending Russia from the UN Human Rights Council?")
    assert {"联合国", "人权理事会", "暂停", "投票", "反对"} <= set(words), words


def test_british_spelling_and_compound_translation(lexicon):
    assert "国防预算" in lexicon.translate("How much did Kazakhstan increase its defence budget?")
    assert "国防部" in lexicon.translate("What did the Ministry of Defence say?")  # word order does not matter


def test_inflections_meet_the_dictionary_form(lexicon):
    for verb in ("suspend", "suspends", "suspended", "suspending"):
        assert lexicon.translate(verb) == ["暂停"], verb


def test_more_questions_find_their_topic(lexicon):
    assert {"中立", "战争", "乌克兰"} <= set(
        lexicon.translate("Why did Kazakhstan stay neutral in the war in Ukraine?")
    )
    assert {"中国", "动乱"} <= set(lexicon.translate("What did China do during the unrest in Kazakhstan?"))


def test_only_words_of_the_corpus_come_back(lexicon, vocabulary_only, vocabulary, texts):
    questions = (
        "Why did Kazakhstan vote against suspending Russia from the UN Human Rights Council?",
        "When and where did Xi Jinping first propose the Belt and Road Initiative?",
        "How long did Nazarbayev rule Kazakhstan? Who is Tokayev?",
    )
    for question in questions:
        assert all(word in vocabulary for word in vocabulary_only.translate(question))
        assert all(word in vocabulary or any(word in text for text in texts) for word in lexicon.translate(question))
    assert lexicon.translate("penguin Harbin chopsticks") == []  # 企鹅, 哈尔滨, 筷子 are not in the articles
    assert "俄" not in lexicon.translate("Russia")  # single characters are too ambiguous to search for


def test_names_jieba_splits_need_the_corpus_texts(lexicon, vocabulary_only):
    assert "托卡耶夫" not in vocabulary_only.translate("Tokayev")  # jieba cuts it as 托 / 卡耶夫
    assert lexicon.translate("Tokayev") == ["托卡耶夫"]


def test_stopwords_and_empty_text_give_nothing(lexicon):
    assert lexicon.translate("") == []
    assert lexicon.translate("What is it, and why? How long? How many of them were there?") == []


def test_max_per_term_is_respected(lexicon):
    one, two, three = (lexicon.translate("border", max_per_term=n) for n in (1, 2, 3))
    assert one == ["边境"]
    assert len(two) == 2 and len(three) == 3 and three[:2] == two


def test_save_and_load_round_trip(lexicon, tmp_path):
    path = tmp_path / "lexicon.json"
    lexicon.save(path)
    assert Lexicon.load(path) == lexicon


def test_glossary_is_a_short_data_file_and_every_word_is_in_the_corpus(texts):
    glossary = cross_lingual._glossary()
    assert cross_lingual.GLOSSARY_FILE.suffix == ".toml" and len(glossary) <= 40
    for english, words in glossary.items():
        for word in words:
            assert any(word in text for text in texts), (english, word)


def test_translate_groups_keeps_untranslatable_terms_as_empty_groups(lexicon):
    groups = lexicon.translate_groups("border Zzyzx")
    assert groups[0].chinese[:1] == ("边境",)
    assert groups[1].english == ("zzyzx",) and groups[1].chinese == ()


def test_the_dictionary_is_parsed_once_however_many_lexicons_are_built(vocabulary, texts):
    # Build time is a benchmark matter (no timed assertions here); what keeps it low is that
    # CC-CEDICT is parsed once per process.
    cross_lingual._cedict.cache_clear()
    Lexicon.build(vocabulary, corpus_texts=texts)
    Lexicon.build(vocabulary, corpus_texts=texts)
    assert cross_lingual._cedict.cache_info().misses == 1


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("阿拉木图", "Almaty"),  # CC-CEDICT's name sense, without its explanation
        ("托卡耶夫", "Tokayev"),  # the glossary, capitalised
        ("习近平", "Xi Jinping"),  # the full name over the glossary's short form
        ("一带一路", "Belt and Road"),
        ("联合国", "UN"),  # a lone short glossary word is an acronym
        ("士兵", "soldier"),
        ("哈哈哈哈哈哈", None),
    ],
)
def test_english_name_shows_a_chinese_word_the_way_english_writes_it(chinese, english):
    assert english_name(chinese) == english


def test_english_names_are_given_without_holding_every_sense_of_the_dictionary():
    # A chat server answers English questions for days without building a lexicon: it maps a trie of
    # one string a word (~3 MB), never every sense of every word (~65 MB).
    cross_lingual._cedict.cache_clear()
    assert english_name("阿拉木图") == "Almaty"
    assert cross_lingual._cedict.cache_info().currsize == 0


def test_the_cached_names_table_holds_exactly_the_names_chosen_from_cc_cedict():
    chosen = dict(cross_lingual._shown_names())
    table = cross_lingual._cedict_names()
    assert len(chosen) > 100_000
    assert len(table) == len(chosen)
    assert all(table[word] == [shown.encode()] for word, shown in chosen.items())


@pytest.mark.parametrize(
    ("asked", "base"),
    [("wrote", "write"), ("met", "meet"), ("withdrew", "withdraw"), ("invasion", "invade"), ("withdrawal", "withdraw")],
)
def test_an_irregular_form_meets_the_gloss_of_its_base_word(asked, base):
    lexicon = Lexicon({" ".join(cross_lingual._english_terms(base)): ("某词",)})
    assert lexicon.translate(f"who {asked} it") == ["某词"]


def test_a_search_alias_is_translated_but_never_shown_as_the_name(texts):
    """ "kaz" finds 哈萨克斯坦, but an English answer names it "Kazakhstan", not "KAZ"."""
    assert "哈萨克斯坦" in Lexicon.build(["哈萨克斯坦"], corpus_texts=texts).translate("kaz")
    assert english_name("哈萨克斯坦") != "KAZ"
    assert english_name("美国") != "Washington"


def test_a_name_is_not_found_by_another_word_of_the_same_stem(lexicon):
    # "snowing" stems to "snow", the name 斯诺 (Snow) in CC-CEDICT; the question is about the weather.
    assert "斯诺" not in lexicon.translate("Is it snowing in Astana right now?")
    assert "斯诺" in lexicon.translate("What did Snow write about China?")


def test_a_name_is_still_found_in_the_plural_and_the_possessive(lexicon):
    assert {"俄罗斯族", "俄罗斯人"} & set(lexicon.translate("How many Russians live there?"))
    assert "北京" in lexicon.translate("What is Beijing's view?")


def test_a_lexicon_saved_before_names_were_kept_still_loads(lexicon, tmp_path):
    path = tmp_path / "lexicon.json"
    path.write_text('{"entries": {"snow": ["斯诺"]}}', encoding="utf-8")
    old = Lexicon.load(path)
    assert old.names == {} and old.translate("snowing") == ["斯诺"]
