"""AnswerabilityJudge: one probability from the fitted model, the threshold decides; partial when
related evidence exists. A hand-made model (deterministic fake) isolates the decision logic."""

from dataclasses import replace

import pytest

from chat_app.engine.answerability import SIGNALS, AnswerabilityJudge
from chat_app.engine.linear_model import LinearModel, ModelFileError
from chat_app.engine.records import Decision, Term
from chat_app.engine.vocabulary import Vocabulary
from tests.support.fake_evidence import evidence_of, question_about

VOCABULARY = Vocabulary(["俄罗斯派遣了2,000多名士兵。", "2022年的边境线。"])


def fake_model(weight_on_top: float, *, threshold=0.5, related=0.3) -> LinearModel:
    """Deterministic fake: the probability is sigmoid(weight × (top_probability − 0.5))."""
    weights = tuple(weight_on_top if name == "top_probability" else 0.0 for name in SIGNALS)
    return LinearModel(SIGNALS, tuple(0.5 if n == "top_probability" else 0.0 for n in SIGNALS),
                       tuple(1.0 for _ in SIGNALS), weights, 0.0, threshold=threshold,
                       extra={"related_probability": related})  # fmt: skip


@pytest.mark.parametrize(
    ("top", "decision"),
    [(0.9, Decision.ANSWER), (0.45, Decision.PARTIAL), (0.1, Decision.NONE)],
)
def test_the_threshold_and_the_related_level_decide(top, decision):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    verdict = judge.run(question_about(["士兵"]), evidence_of([("俄罗斯派遣了2,000多名士兵。", "a.txt", top)]))
    assert verdict.decision == decision
    assert (verdict.probability >= 0.5) == (decision == Decision.ANSWER)


def test_no_evidence_means_nothing_related():
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    assert judge.run(question_about(["士兵"]), evidence_of([])).decision == Decision.NONE


def test_a_question_none_of_whose_words_occur_in_the_articles_relates_to_nothing():
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    question = question_about(["红烧肉"])
    question = question.__class__(**{**question.__dict__, "terms": (Term(("红烧肉",), 5.0, False),)})
    verdict = judge.run(question, evidence_of([("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.99)]))
    assert verdict.decision == Decision.NONE and "hardly occur in the articles" in verdict.reason


@pytest.mark.parametrize(("cover", "decision"), [(0.05, Decision.NONE), (0.5, Decision.ANSWER)])
def test_top_sentences_naming_less_of_the_question_than_any_answerable_one_relate_to_nothing(cover, decision):
    """Off-topic questions (今晚湖人打勇士谁能赢) reach some sentence anyway; when none of the top ones
    names the question's telling words as much as the least-covered answerable tune question did,
    nothing there relates (a fake model fitted with min_best_cover=0.1)."""
    model = _with_extra(fake_model(20.0), min_best_cover=0.1)
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=model)
    rows = [("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.99), ("2022年的边境线。", "a.txt", 0.5)]
    verdict = judge.run(question_about(["士兵"]), evidence_of(rows, features={0: {"cover_window": cover}}))
    assert verdict.decision == decision
    assert (verdict.reason == "no sentence found names what the question is about") == (decision == Decision.NONE)


@pytest.mark.parametrize(
    ("language", "max_cosine", "decision"),
    [("zh", 0.85, Decision.NONE), ("zh", 0.90, Decision.ANSWER), ("en", 0.80, Decision.ANSWER),
     ("en", 0.70, Decision.NONE)],
)  # fmt: skip
def test_a_question_nothing_indexed_comes_close_to_in_meaning_relates_to_nothing(language, max_cosine, decision):
    """A recipe or a football score still matches some words of some sentence; when even the nearest
    indexed sentence is further in meaning than for any answerable tune question of that language,
    nothing relates. English floors sit lower (cross-lingual cosines run lower): a fake model fitted
    with min_max_cosine zh 0.86, en 0.73."""
    model = _with_extra(fake_model(20.0), min_max_cosine={"zh": 0.86, "en": 0.73})
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=model)
    rows = [("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.99)]
    verdict = judge.run(question_about(["士兵"], language=language), evidence_of(rows, max_cosine=max_cosine))
    assert verdict.decision == decision
    far = verdict.reason == "nothing in the articles is close in meaning to the question"
    assert far == (decision == Decision.NONE)


@pytest.mark.parametrize(("cover", "decision"), [(1.0, Decision.ANSWER), (0.6, Decision.NONE)])
def test_a_short_question_every_telling_word_of_which_a_top_sentence_names_is_not_too_far(cover, decision):
    """印度总理是谁 embeds far from any long sentence, yet the sentence naming 印度总理莫迪 answers it: the
    cosine floor refuses only questions some of whose telling words no top sentence names."""
    model = _with_extra(fake_model(20.0), min_max_cosine={"zh": 0.86, "en": 0.73})
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=model)
    rows = [("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.99)]
    evidence = evidence_of(rows, max_cosine=0.85, features={0: {"cover_window": cover}})
    assert judge.run(question_about(["士兵"]), evidence).decision == decision


@pytest.mark.parametrize(
    ("standalone", "decision"),
    [
        ("What is the Middle Corridor, which countries does it pass through，谁在推动它？", Decision.ANSWER),
        ("CPC是什么？", Decision.ANSWER),  # as many Latin letters as Chinese characters
        ("CPC管道的运营被谁叫停了？", Decision.NONE),  # a Chinese question naming an acronym is Chinese
    ],
)
def test_a_chinese_follow_up_read_with_an_english_question_is_held_to_the_english_floor(standalone, decision):
    """Its standalone question is mostly English: its closeness crosses languages like an English question's."""
    model = _with_extra(fake_model(20.0), min_max_cosine={"zh": 0.86, "en": 0.73})
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=model)
    question = question_about(["士兵"], text="谁在推动它？")
    question = replace(question, resolved=replace(question.resolved, standalone=standalone))
    rows = [("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.99)]
    assert judge.run(question, evidence_of(rows, max_cosine=0.80)).decision == decision


def test_without_a_fitted_cosine_floor_nothing_is_refused_for_distance():
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    rows = [("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.99)]
    assert judge.run(question_about(["士兵"]), evidence_of(rows, max_cosine=0.1)).decision == Decision.ANSWER


def test_signals_name_a_year_no_article_uses():
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(1.0))
    question = question_about(["边境线"])
    question = question.__class__(**{**question.__dict__, "years": ("1985",)})
    signals = judge.signals(question, evidence_of([("2022年的边境线。", "a.txt", 0.5)]))
    assert signals["year_unknown"] == 1.0 and signals["year_missing"] == 1.0
    assert set(signals) == set(SIGNALS)


@pytest.mark.parametrize(
    ("asked", "missing"),
    [
        ("俄罗斯派了多少名士兵？", 0.0),
        ("俄罗斯一共运了多少吨物资？", 1.0),
        ("俄罗斯派了多少士兵？", 0.0),
        ("俄罗斯派兵待了几天？", 1.0),
        ("俄罗斯派兵那几天运了多少名士兵？", 0.0),  # 那几天 is "those days": the measure asked is 名
        ("俄罗斯一共买了多少天然气？", 0.0),  # 天 starts 天然气 here: no measure is asked
    ],
)
def test_a_figure_in_another_measure_than_the_one_asked_for_is_a_missing_measure(asked, missing):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(1.0))
    question = question_about(["俄罗斯"], answer_type="number", text=asked)
    signals = judge.signals(question, evidence_of([("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.5)]))
    assert signals["measure_missing"] == missing


@pytest.mark.parametrize(
    ("answer_type", "best", "missing"),
    [
        ("number", "其中部分资金将用于增加后备军。", 1.0),  # a how-many question, no figure in the best sentence
        ("number", "俄罗斯派遣了2,000多名士兵。", 0.0),
        ("number", "包括安全部队成员在内的十多人在暴乱中死亡。", 0.0),  # a figure in Chinese numerals
        ("number", "数千名抗议者走上街头。", 0.0),
        ("number", "百余家企业迁往哈萨克斯坦。", 0.0),
        ("number", "多人在暴乱中死亡。", 1.0),  # "many" is not a figure
        ("date", "集安组织在1月19日完成了撤军。", 0.0),
        ("reason", "其中部分资金将用于增加后备军。", 0.0),  # only figure/date/person/place questions are checked
    ],
)
def test_a_factoid_question_whose_best_sentence_states_no_such_thing_is_flagged(answer_type, best, missing):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    evidence = evidence_of([(best, "a.txt", 0.9), ("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.8)])
    signals = judge.signals(question_about(["后备军"], answer_type=answer_type), evidence)
    assert signals["first_type_missing"] == missing


@pytest.mark.parametrize(
    ("answer_type", "best", "missing"),
    [
        ("place", "泽雅在4月访问了哈萨克斯坦。", 1.0),  # the only place is the one the question names
        ("place", "泽雅访问哈萨克斯坦之后，又去了吉尔吉斯斯坦。", 0.0),
        ("person", "总理马明被换下。", 1.0),  # the only name is the one the question names
        ("person", "总理马明被换下，由议长斯迈洛夫·阿里接任。", 0.0),
    ],
)
def test_a_who_or_where_answer_must_name_someone_or_somewhere_the_question_does_not(answer_type, best, missing):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    evidence = evidence_of([(best, "a.txt", 0.9), ("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.8)])
    question = question_about(["泽雅", "哈萨克斯坦", "马明", "总理"], answer_type=answer_type)
    assert judge.signals(question, evidence)["first_type_missing"] == missing


def test_the_most_telling_word_missing_from_the_best_sentence_is_weighed():
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    question = question_about(["士兵", "赞成票"])
    evidence = evidence_of([("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.9)])
    assert judge.signals(question, evidence)["rarest_missing"] == 1.0  # both weigh 1.0; 赞成票 is absent
    evidence = evidence_of([("议会以多数赞成票派遣了2,000多名士兵。", "a.txt", 0.9)])
    assert judge.signals(question, evidence)["rarest_missing"] == 0.0


def _with_extra(model: LinearModel, **extra) -> LinearModel:
    return LinearModel(model.features, model.mean, model.scale, model.weights, model.intercept,
                       threshold=model.threshold, extra={**model.extra, **extra})  # fmt: skip


@pytest.mark.parametrize(
    ("vetoes", "figure_in_best", "decision"),
    [
        ((), False, Decision.ANSWER),  # no veto: the probability decides
        (("type_missing",), False, Decision.PARTIAL),  # a figure asked for, none in the top sentences
        (("type_missing",), True, Decision.ANSWER),  # the veto's signal is off
    ],
)
def test_a_fitted_veto_signal_turns_an_answer_into_a_partial_one(vetoes, figure_in_best, decision):
    """Deterministic fake model: its probability (top belief 0.9) would answer; a veto named in the model
    file refuses (partial: related evidence exists) only while its signal is on."""
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=_with_extra(fake_model(20.0), vetoes=list(vetoes)))
    best = "俄罗斯派遣了2,000多名士兵。" if figure_in_best else "其中部分资金将用于增加后备军。"
    features = {0: {"type_hit": 1.0}} if figure_in_best else None  # the ranker's features mark a figure
    evidence = evidence_of([(best, "a.txt", 0.9), ("2022年的边境线。", "a.txt", 0.8)], features=features)
    verdict = judge.run(question_about(["后备军"], answer_type="number"), evidence)
    assert verdict.decision == decision
    assert verdict.probability >= 0.5  # the veto does not touch the probability
    if decision == Decision.PARTIAL:
        assert verdict.reason == "the evidence holds no figure or date to answer with"


def test_a_veto_naming_a_signal_the_engine_does_not_compute_is_refused_at_load():
    with pytest.raises(ModelFileError, match="unknown signals"):
        AnswerabilityJudge(vocabulary=VOCABULARY, model=_with_extra(fake_model(20.0), vetoes=["moon_phase"]))


@pytest.mark.parametrize(
    ("asked", "answer_type", "best", "first_missing"),
    [
        (
            "集安组织出兵，哈方付了多少钱？",
            "number",
            "集安组织派出了2,000多名士兵。",
            1.0,
        ),  # money asked, a head count given
        ("集安组织出兵，哈方付了多少钱？", "number", "哈方为此支付了约3亿美元。", 0.0),
        ("集安组织一共派了多少人？", "number", "集安组织派出了2,000多名士兵。", 0.0),
        ("集安组织一共派了多少人？", "number", "行动花费了约3亿美元。", 1.0),
        ("那个合资公司叫什么名字？", "other", "四国还有意组建合资公司。", 1.0),  # a name asked, none given
        ("那个合资公司叫什么名字？", "other", "四国组建了名为“中间走廊”的合资公司。", 0.0),
        (
            "峰会是9月几号开幕的？",
            "date",
            "峰会于2022年9月在撒马尔罕举行。",
            1.0,
        ),  # the day asked, only the month given
        ("峰会是9月几号开幕的？", "date", "峰会于9月15日在撒马尔罕开幕。", 0.0),
        ("How much money did China invest?", "number", "中国投资了约200亿美元。", 0.0),
        ("How much money did China invest?", "number", "中国的投资涉及30个项目。", 1.0),
        ("集安组织为什么出兵？", "reason", "集安组织派出了2,000多名士兵。", 0.0),  # no kind of figure or name asked
        # how much something grew: a multiple answers it, though no figure is in the thing's own measure
        ("集装箱运量涨了多少？", "number", "今年1-4月的集装箱运输量是上年同期的三倍。", 0.0),
        ("贸易额增长了多少？", "number", "双边贸易额增长100多倍。", 0.0),
        ("这些年贸易额翻了多少倍？", "number", "双边贸易额增长100多倍。", 0.0),  # 翻了 asks a multiple, not a sum
        ("集装箱运量涨了多少？", "number", "港口现在一片繁忙。", 1.0),
        ("By how much did trade grow?", "number", "贸易额增长了34%。", 0.0),
        # when someone was born: only a sentence saying so, not any year of their life
        ("托卡耶夫是哪年出生的？", "date", "托卡耶夫2019年就任总统。", 1.0),
        ("托卡耶夫是哪年出生的？", "date", "托卡耶夫1953年出生于阿拉木图。", 0.0),
        # 占…多少 asks a share: a head count does not answer it
        ("侨汇收入占哈萨克斯坦GDP多少？", "number", "哈萨克斯坦有约7万名劳工在俄工作。", 1.0),
        ("侨汇收入占哈萨克斯坦GDP多少？", "number", "汇款在吉尔吉斯斯坦GDP中约占10%。", 0.0),
        ("穆斯林大概占人口多少？", "number", "该国人口的3/4是穆斯林。", 0.0),  # a fraction in figures
        ("穆斯林大概占人口多少？", "number", "该国人口共1900万人，穆斯林居多。", 1.0),
        (
            "一共派了多少人，花了多少钱？",
            "reason",
            "行动花费了约3亿美元。",
            0.0,
        ),  # figure kinds only for number questions
    ],
)
def test_a_best_sentence_stating_another_kind_of_figure_than_asked_is_flagged(asked, answer_type, best, first_missing):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    evidence = evidence_of([(best, "a.txt", 0.9), ("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.8)])
    signals = judge.signals(question_about(["集安组织"], answer_type=answer_type, text=asked), evidence)
    assert signals["first_kind_missing"] == first_missing


def test_a_kind_no_top_sentence_states_is_missing_from_the_window():
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    question = question_about(["集安组织"], answer_type="number", text="哈方付了多少钱？")
    no_money = evidence_of([("集安组织派出了2,000多名士兵。", "a.txt", 0.9), ("部队很快撤出。", "a.txt", 0.8)])
    money_second = evidence_of([("集安组织派出了2,000多名士兵。", "a.txt", 0.9), ("哈方支付了3亿美元。", "a.txt", 0.8)])
    assert judge.signals(question, no_money)["kind_missing"] == 1.0
    assert judge.signals(question, money_second)["kind_missing"] == 0.0
    assert judge.signals(question, money_second)["first_kind_missing"] == 1.0


@pytest.mark.parametrize(
    ("asked", "best", "first_missing"),
    [
        # the name right after the noun; the noun but no name after it; another country's minister
        ("首都现在叫什么名字？", "也有报道说，首都努尔苏丹等城市的局势相对稳定。", 0.0),
        ("首都现在叫什么名字？", "首都的局势相对稳定。", 1.0),
        ("哈萨克斯坦的国防部长叫什么名字？", "4月下旬，中国国防部长魏凤和访问了哈萨克斯坦。", 1.0),
    ],
    ids=["appositive name", "no name", "another country's"],
)
def test_a_name_written_right_after_the_noun_asked_about_states_the_name(asked, best, first_missing):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    noun = "国防部长" if "国防部长" in asked else "首都"
    question = replace(question_about([noun], text=asked), focus_nouns=(noun,))
    evidence = evidence_of([(best, "a.txt", 0.9), ("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.8)])
    assert judge.signals(question, evidence)["first_kind_missing"] == first_missing


def test_a_best_sentence_the_answer_cannot_open_on_leaves_the_kind_to_the_one_it_does():
    """首都现在叫什么: the best sentence names the former capital (前首都), the answer opens on the next."""
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    question = replace(question_about(["首都"], text="首都现在叫什么名字？"), focus_nouns=("首都",))
    former = ("在前首都阿拉木图等地，政府机关一度被占领。", "a.txt", 0.9)
    current = ("也有报道说，首都努尔苏丹等城市的局势相对稳定。", "a.txt", 0.5)
    assert judge.signals(question, evidence_of([former, current]))["first_kind_missing"] == 0.0
    assert judge.signals(question, evidence_of([former]))["first_kind_missing"] == 1.0


@pytest.mark.parametrize(("holder_probability", "first_missing"), [(0.7, 0.0), (0.3, 1.0)])
def test_a_role_holder_within_the_support_margin_states_the_name_asked_for(holder_probability, first_missing):
    """现任总统叫什么名字: the best sentence names the role only (实行总统制); the answer opens on the one
    naming the holder (总统托卡耶夫) when it scores within the composition's support margin."""
    from chat_app.engine.composer import CompositionSettings

    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0),
                               composition=CompositionSettings(support_margin=0.2))  # fmt: skip
    question = replace(question_about(["总统"], text="哈萨克斯坦现任总统叫什么名字"), focus_nouns=("总统",))
    evidence = evidence_of([("哈萨克斯坦实行总统制，总统在外交决策中具有举足轻重的作用。", "a.txt", 0.8),
                            ("哈萨克斯坦总统托卡耶夫是个中国通。", "a.txt", holder_probability)])  # fmt: skip
    assert judge.signals(question, evidence)["first_kind_missing"] == first_missing


@pytest.mark.parametrize(
    ("asked", "answer_type", "best", "unstated"),
    [
        # a whole amount asked, and the best sentence gives only a change or part of the period
        ("国防预算一共是多少钱？", "number", "该国将国防预算增加了4,410亿坚戈。", 1.0),
        ("2022年全年卖了多少吨煤？", "number", "今年1—5月的供应量为150万吨。", 1.0),
        ("How much was the defense budget in total?", "number", "国防预算提高了约9亿美元。", 1.0),
        # … a sentence that states the whole, or no whole asked, or no figure asked for
        ("一共投了多少钱？", "number", "2005至2020年间累计投资192亿美元。", 0.0),
        ("2021年全年多少？", "number", "今年1—5月的供应量是2021年全年的两倍多。", 0.0),
        ("国防预算增加了多少？", "number", "该国将国防预算增加了4,410亿坚戈。", 0.0),
        ("国防预算一共有哪些用途？", "other", "该国将国防预算增加了4,410亿坚戈。", 0.0),
    ],
)
def test_a_whole_amount_asked_and_only_a_change_or_part_stated_is_flagged(asked, answer_type, best, unstated):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    evidence = evidence_of([(best, "a.txt", 0.9), ("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.8)])
    signals = judge.signals(question_about(["集安组织"], answer_type=answer_type, text=asked), evidence)
    assert signals["total_unstated"] == unstated


@pytest.mark.parametrize(
    ("asked", "answer_type", "second_probability", "unquoted"),
    [
        # how many, and neither the best sentence nor one within the support margin states a figure
        ("中国帮邻国修了多少个边防哨所？", "number", 0.9, 1.0),
        # … a sentence within the margin states one: the answer can open on it
        ("中国帮邻国修了多少个边防哨所？", "number", 0.8, 0.0),
        # … one stating a figure that scores far below the best is not where the answer opens
        ("中国帮邻国修了多少个边防哨所？", "number", 0.1, 1.0),
        # 哪几个 asks which ones, not how many; and a why-question asks no figure
        ("中国帮哪几个邻国修了边防哨所？", "number", 0.1, 0.0),
        ("中国为什么帮邻国修边防哨所？", "reason", 0.1, 0.0),
    ],
)
def test_a_how_many_question_whose_answer_would_state_no_figure_is_flagged(asked, answer_type, second_probability,
                                                                          unquoted):  # fmt: skip
    from chat_app.engine.composer import CompositionSettings

    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0),
                               composition=CompositionSettings(support_margin=0.2))  # fmt: skip
    best = ("中国还曾为邻国兴建了一批边界线上的边防哨所。", "a.txt", 0.9)
    figure = ("俄罗斯派遣了2,000多名士兵。", "a.txt", second_probability)
    evidence = evidence_of([best, figure] if second_probability < 0.9 else [best])
    signals = judge.signals(question_about(["边防哨所"], answer_type=answer_type, text=asked), evidence)
    assert signals["figure_unquoted"] == unquoted


@pytest.mark.parametrize(
    ("asked", "best", "instead"),
    [
        # asked about one Central Asian country, the best sentence is about another one only
        ("乌兹别克斯坦在联大投的什么票？", "哈萨克斯坦投了弃权票。", 1.0),
        ("侨汇占哈萨克斯坦GDP多少？", "侨汇在吉尔吉斯斯坦GDP中的占比为近三分之一。", 1.0),
        # … the best sentence names the country asked about too, or it is the one asked about
        ("乌兹别克斯坦在联大投的什么票？", "乌兹别克斯坦和哈萨克斯坦都投了弃权票。", 0.0),
        ("哈萨克斯坦在联大投的什么票？", "哈萨克斯坦投了弃权票。", 0.0),
        # … or it names no country of that group at all
        ("乌兹别克斯坦在联大投的什么票？", "联大以压倒性多数通过了决议。", 0.0),
    ],
)
def test_a_best_sentence_about_a_peer_of_the_country_asked_about_is_flagged(asked, best, instead):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(20.0))
    evidence = evidence_of([(best, "a.txt", 0.9), ("俄罗斯派遣了2,000多名士兵。", "a.txt", 0.8)])
    signals = judge.signals(question_about(["联大"], text=asked), evidence)
    assert signals["peer_instead"] == instead


@pytest.mark.parametrize(
    ("asked", "chunks", "unstated"),
    [
        ("11月那次选举谁赢了？", ["3月24日，大会表决。", "4月7日，再次表决。"], 1.0),
        ("Who won the election in November?", ["3月24日，大会表决。"], 1.0),
        ("11月那次选举谁赢了？", ["3月24日，大会表决。", "11月20日，选举揭晓。"], 0.0),  # any top passage states it
        ("3月出口了多少煤？", ["今年1—5月的出口量为150万吨。"], 0.0),  # within a range
        ("一月出事时谁派了兵？", ["今年年初，邻国派遣了士兵。"], 0.0),  # 年初 is January
        ("选举谁赢了？", ["3月24日，大会表决。"], 0.0),  # no month asked
    ],
)
def test_a_month_none_of_the_top_passages_states_is_unstated(asked, chunks, unstated):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(1.0))
    rows = [(chunk, "a.txt", 0.5 - 0.1 * number) for number, chunk in enumerate(chunks)]
    language = "en" if asked.isascii() else "zh"
    signals = judge.signals(question_about(["选举"], text=asked, language=language), evidence_of(rows))
    assert signals["month_unstated"] == unstated


@pytest.mark.parametrize(
    ("asked", "missing"),
    [
        ("他在美国哪所大学留的学？", 1.0),  # the plain question: a best sentence about another country is no answer …
        ("他是在美国留的学，对吧？", 0.0),  # … but one asking to confirm may be corrected by it
        ("He studied in America, right?", 0.0),
    ],
)
def test_evidence_about_other_countries_does_not_refuse_a_question_asking_to_confirm_its_premise(asked, missing):
    judge = AnswerabilityJudge(vocabulary=VOCABULARY, model=fake_model(1.0))
    evidence = evidence_of([("他曾在中国留学。", "a.txt", 0.5)], features={0: {"entity_miss": 1.0}})
    language = "en" if asked.isascii() else "zh"
    signals = judge.signals(question_about(["留学"], text=asked, language=language), evidence)
    assert signals["entity_missing"] == missing
