"""The search's decisions, each pinned: synonyms that hold only in context, typos and
homophones, condition words, English searched as English, and the verdict rules."""

from __future__ import annotations

from dataclasses import replace

import pytest

from bot.rights.bm25 import Bm25
from bot.rights.entries import shipped
from bot.rights.lexicon import lexicon
from bot.rights.search import Index
from bot.rights.segmenter import Segmenter
from bot.rights.verdict import CHINESE, Evidence, Ranking, Thresholds, Verdict, judge, off_topic


@pytest.fixture(scope="module")
def index() -> Index:
    return Index(shipped(), lexicon())


def test_a_weekend_is_a_rest_day_only_next_to_work(index: Index) -> None:
    words = index.lexicon
    assert "休息日" in words.terms("周末加班给多少钱")
    assert "休息日" not in words.terms("周末去哪里玩比较好")


def test_walking_out_is_quitting_and_being_sent_off_is_dismissal(index: Index) -> None:
    words = index.lexicon
    assert "辞职" in words.terms("我能直接走人吗") and "辞退" not in words.terms("我能直接走人吗")
    assert "辞退" in words.terms("老板让我走人")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [("公司不给交社宝", "社保"), ("加班废怎么算", "加班费"), ("工伤人定要多久", "认定"),
     ("被辞推了", "辞退"), ("年价有几天", "年假"), ("入职要交压金", "押金"),
     ("试用斯多久", "试用期")],
)  # fmt: skip
def test_typos_and_homophones_read_as_the_word_meant(index: Index, typed: str, meant: str) -> None:
    assert meant in index.lexicon.terms(typed)


@pytest.mark.parametrize(
    "phrase", ["离职时年假怎么折算", "帮我写一段话", "老板三个月不发钱", "我月工资多少"]
)
def test_real_phrases_are_not_taken_for_typos(index: Index, phrase: str) -> None:
    terms = index.lexicon.terms(phrase)
    assert not {"离职证明", "协议", "罚款", "女工"} & set(terms), terms


@pytest.mark.parametrize(
    ("question", "entry_id"),
    [
        ("我怀孕了公司要辞退我", "pregnancy-protection"),
        ("怀孕了被公司开除", "pregnancy-protection"),
        ("公司三个月没发工资我能直接走人还要补偿吗", "resign-employer-fault"),
        ("干了两年半被裁员赔多少钱", "severance"),
        ("被辞退一年半了还能去仲裁吗", "arbitration-time-limit"),
        ("公司不给交社宝", "social-insurance"),
        ("试用期可以随便开除我吗", "probation-dismissal"),
        ("can my boss fire me during probation", "probation-dismissal"),
    ],
)
def test_the_questions_of_issue_15_get_the_entry_that_answers_them(
    index: Index, question: str, entry_id: str
) -> None:
    result = index.search(question)
    assert result.verdict is Verdict.ANSWER and result.confident
    assert result.best is not None and result.best.entry.id == entry_id


@pytest.mark.parametrize(
    ("question", "entry_id"), [("my boss didn't pay overtime", "overtime-pay")]
)
def test_an_issue_15_question_the_search_is_less_sure_of_offers_the_right_entry_first(
    index: Index, question: str, entry_id: str
) -> None:
    """Not answered outright (another entry is near), but never the wrong one: the entry
    that answers it is the first near match offered."""
    result = index.search(question)
    assert result.verdict in (Verdict.ANSWER, Verdict.UNSURE, Verdict.AMBIGUOUS)
    assert result.best is not None and result.best.entry.id == entry_id


@pytest.mark.parametrize(
    "question",
    [
        "食堂今天吃什么",
        "周末去哪里玩比较好",
        "帮我写一段国庆节祝福语",
        "工会组织的篮球赛在哪报名",
        "女朋友嫌我天天加班，要分手",
        "这个机器人怎么用",
        "what's the weather like today",
    ],
)
def test_out_of_scope_questions_are_named_as_such(index: Index, question: str) -> None:
    result = index.search(question)
    assert result.verdict is Verdict.OUT_OF_SCOPE and not result.confident


def test_an_english_question_is_searched_against_the_english_texts(index: Index) -> None:
    result = index.search("Can I refuse an order that is unsafe?")
    assert result.best is not None and result.best.entry.id == "refuse-unsafe-work"
    base = replace(shipped()[0], examples=(), examples_en=())
    english = replace(base, id="en", questions=("甲",), questions_en=("night shift rota",))
    chinese = replace(base, id="zh", questions=("night shift rota 乙",), questions_en=("B",))
    found = Index([english, chinese], lexicon()).search("night shift rota")
    assert found.best is not None and found.best.entry.id == "en"
    # The Chinese entry's words do not count for an English question: at most the classifier's
    # smoothing leaves it a trace.
    assert all(h.score < 0.05 * found.best.score for h in found.hits[1:])


def test_off_topic_words_give_way_to_a_word_of_the_law() -> None:
    assert off_topic("女朋友嫌我天天加班", ["女朋友", "天天", "加班"])
    assert not off_topic("女朋友说公司不交社保违法吗", ["女朋友", "社保", "违法"])
    assert off_topic("工会篮球赛报名", ["工会", "篮球赛", "报名"])  # 篮球 inside 篮球赛


def _evidence(
    *scores: float,
    nearest: float = 0.0,
    gap: float = 0.0,
    topical: bool = True,
    posterior: float = 0.0,
    top: bool = False,
) -> Evidence:
    return Evidence(
        "加班费",
        ("加班费",),
        Ranking.of(scores),
        nearest=nearest,
        nearest_gap=gap,
        domain=1,
        topical=topical,
        posterior=posterior,
        posterior_top=top,
    )


def test_the_verdict_rules() -> None:
    floor = CHINESE.floor
    assert judge(Evidence("", ())) is Verdict.OUT_OF_SCOPE
    assert judge(Evidence("一二三", ("一二三",), Ranking.of([20.0]))) is Verdict.OUT_OF_SCOPE
    # Too weak a match: not sure, or not about rights at all if no word names a subject.
    assert judge(_evidence(floor - 1, 1.0)) is Verdict.UNSURE
    assert judge(_evidence(floor - 1, 1.0, topical=False)) is Verdict.OUT_OF_SCOPE
    # One entry far ahead of all the others: the answer.
    assert judge(_evidence(floor + 20, floor, floor)) is Verdict.ANSWER
    # Two about as likely, the rest far behind: ask which.
    assert judge(_evidence(floor + 20, floor + 19.5, floor)) is Verdict.AMBIGUOUS
    # Many about as likely: not sure.
    assert judge(_evidence(*[floor + 5.0] * 6)) is Verdict.UNSURE
    # A clear leader whose lead is not enough, and no close second: not sure, not a pair.
    assert judge(_evidence(floor + 3, floor, floor, floor, floor)) is Verdict.UNSURE
    # Typed (nearly) as one of the best entry's phrasings and not as another entry's, and
    # ahead in the ranking too: the answer, though its lead alone would not be enough.
    leading = [floor + 14.0, *[floor + 4.0] * 5]
    assert judge(_evidence(*leading)) is Verdict.UNSURE
    assert judge(_evidence(*leading, nearest=1.0, gap=0.4)) is Verdict.ANSWER
    assert judge(_evidence(*leading, nearest=0.7, gap=0.0)) is Verdict.UNSURE
    # A phrasing's likeness does not break a tie in the ranking.
    assert judge(_evidence(*[floor + 5.0] * 6, nearest=1.0, gap=0.4)) is Verdict.UNSURE
    # Likewise the classifier: sure of the leader and agreeing with the ranking, it answers;
    # sure of another entry, or unsure, it does not.
    assert judge(_evidence(*leading, posterior=0.995, top=True)) is Verdict.ANSWER
    assert judge(_evidence(*leading, posterior=0.995, top=False)) is Verdict.UNSURE
    assert judge(_evidence(*leading, posterior=0.6, top=True)) is Verdict.UNSURE
    assert judge(_evidence(*[floor + 5.0] * 6, posterior=1.0, top=True)) is Verdict.UNSURE


def test_the_verdict_is_decided_again_under_other_thresholds(index: Index) -> None:
    result = index.search("加班费怎么算")
    assert result.evidence is not None and result.verdict is Verdict.ANSWER
    strict = Thresholds(answer=1.01, pair=1.01, floor=1000.0)
    again = Index.judged(result.hits, result.evidence, strict)
    assert again.verdict is Verdict.UNSURE and again.hits == result.hits


def test_an_ambiguous_result_names_its_two_candidates(index: Index) -> None:
    found = [index.search(q) for q in ("公司裁员有补偿吗", "工伤赔偿", "年假", "仲裁", "工伤")]
    ambiguous = [r for r in found if r.verdict is Verdict.AMBIGUOUS]
    assert ambiguous, "some short question should be ambiguous"
    for result in ambiguous:
        assert [e.id for e in result.candidates] == [h.entry.id for h in result.hits[:2]]
        assert not result.confident
    for result in found:
        assert result.verdict is Verdict.AMBIGUOUS or result.candidates == ()


def test_bm25_scores_rare_terms_higher_and_ignores_unknown_ones() -> None:
    bm25 = Bm25([["加班", "工资"], ["加班", "上限"], ["年假"]])
    scores = bm25.scores(["上限", "没见过"])
    assert scores[1] > 0 and scores[0] == scores[2] == 0
    assert bm25.scores(["加班"])[0] < bm25.scores(["年假"])[2]


def test_the_segmenter_takes_the_most_probable_cut() -> None:
    cut = Segmenter({"劳动": 100, "合同": 100, "劳动合同": 1000, "法": 10}).cut
    assert cut("劳动合同法") == ["劳动合同", "法"]
    assert cut("ok 劳动") == ["ok", " ", "劳动"]


def test_a_lead_over_the_runner_up_answers_however_many_entries_trail() -> None:
    """The share of a softmax over every entry shrinks as the knowledge base grows; the lead
    over the second does not. A leader well ahead of the runner-up that the classifier also
    puts first answers, whether 5 or 90 entries trail behind."""
    floor = CHINESE.floor
    few = [floor + 30.0, floor + 10.0, *[floor + 9.0] * 5]
    many = [floor + 30.0, floor + 10.0, *[floor + 9.0] * 90]
    assert Ranking.of(many).lead == pytest.approx(20 / (floor + 30))
    assert judge(_evidence(*few)) is Verdict.ANSWER
    # Among 90 the share is too small to answer by, the lead is not.
    assert judge(_evidence(*many)) is Verdict.UNSURE
    assert judge(_evidence(*many, posterior=0.99, top=True)) is Verdict.ANSWER
    # The lead needs the classifier's agreement, and a narrower lead is not enough.
    assert judge(_evidence(*many, posterior=0.99, top=False)) is Verdict.UNSURE
    narrower = [floor + 30.0, floor + 20.0, *[floor + 19.0] * 90]
    assert judge(_evidence(*narrower, posterior=0.99, top=True)) is Verdict.UNSURE
    assert Ranking.of([5.0]).lead == 1.0 and Ranking.of([]).lead == 0.0


def test_asking_to_be_spared_overtime_is_about_overtime_not_nursing(index: Index) -> None:
    """能不能不加班 is refusing overtime: the nursing entry's 「哺乳期能不能不加班」 must not
    take it for a mother's question when no condition is named."""
    for question in ("能不能不加班", "国庆能不能不加班", "can I refuse overtime"):
        result = index.search(question)
        assert result.best is not None and result.best.entry.id == "overtime-limits", question
    nursing = index.search("哺乳期能不能不加班").best
    assert nursing is not None and nursing.entry.id == "nursing-time"


def test_a_text_to_write_is_never_a_rights_question(index: Index) -> None:
    for question in ("帮我写一句端午节的祝福语", "帮我写一段劳动法宣传的文案"):
        result = index.search(question)
        assert result.verdict is Verdict.OUT_OF_SCOPE and not result.confident, question
    # The golden week is a holiday, not gold.
    assert index.search("黄金周加班费怎么算").confident
    assert not index.search("黄金现在能买吗").confident
