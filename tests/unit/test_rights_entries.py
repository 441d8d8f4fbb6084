"""The shipped knowledge base: every topic covered, every answer cited and actionable."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from bot.rights.entries import CITATION, Entry, EntryError, check, shipped
from bot.rights.library import overlay
from storage.models import KbRevision
from storage.statuses import KbAction

EVAL = tomllib.loads((Path(__file__).parents[1] / "data" / "rights_eval.toml").read_text())
ENTRIES = {entry.id: entry for entry in shipped()}

# Each topic the union asked for (../shared/rights-topics.md), the entry that answers it, and
# the statute articles that answer must cite.
TOPICS: dict[str, tuple[str, ...]] = {
    "death-not-at-work": ("《社会保险法》第十七条", "《社会保险法》第十四条"),
    "working-hours": (
        "《劳动法》第三十六条",
        "《劳动法》第三十八条",
        "《国务院关于职工工作时间的规定》第三条",
    ),
    "overtime-limits": ("《劳动法》第四十一条",),
    "overtime-pay": ("《劳动法》第四十四条",),
    "annual-leave": ("《职工带薪年休假条例》第三条", "《职工带薪年休假条例》第五条"),
    "public-holidays": ("《全国年节及纪念日放假办法》",),
    "written-contract": ("《劳动合同法》第十条", "《劳动合同法》第八十二条"),
    "open-ended-contract": ("《劳动合同法》第十四条",),
    "probation": ("《劳动合同法》第十九条", "《劳动合同法》第二十条"),
    "id-and-deposit": ("《劳动合同法》第九条", "《劳动合同法》第八十四条"),
    "resign-notice": ("《劳动合同法》第三十七条",),
    "resign-employer-fault": ("《劳动合同法》第三十八条",),
    "severance": ("《劳动合同法》第四十六条", "《劳动合同法》第四十七条"),
    "unlawful-dismissal": ("《劳动合同法》第四十八条", "《劳动合同法》第八十七条"),
    "no-dismissal-protected": ("《劳动合同法》第四十二条",),
    "dismissal-for-cause": ("《劳动合同法》第三十九条",),
    "probation-dismissal": (
        "《劳动合同法》第二十一条",
        "《劳动合同法》第三十九条",
        "《劳动合同法》第四十条",
    ),
    "no-fault-dismissal": ("《劳动合同法》第四十条",),
    "wage-payment": ("《劳动法》第五十条", "《劳动合同法》第三十条"),
    "wage-arrears": (
        "《劳动合同法》第三十条",
        "《劳动合同法》第八十五条",
        "《保障农民工工资支付条例》",
    ),
    "minimum-wage": ("《劳动法》第四十八条",),
    "social-insurance": ("《劳动法》第七十二条", "《社会保险法》第五十八条"),
    "work-injury-scope": ("《工伤保险条例》第十四条", "《工伤保险条例》第十五条"),
    "work-injury-claim": ("《工伤保险条例》第十七条",),
    "sick-leave": ("《企业职工患病或非因工负伤医疗期规定》第三条",),
    "maternity-leave": ("《女职工劳动保护特别规定》第七条",),
    "pregnancy-protection": (
        "《女职工劳动保护特别规定》第五条",
        "《女职工劳动保护特别规定》第六条",
    ),
    "nursing-time": ("《女职工劳动保护特别规定》第九条",),
    "marriage-bereavement-leave": ("《关于国营企业职工请婚丧假和路程假问题的通知》",),
    "non-compete": ("《劳动合同法》第二十三条", "《劳动合同法》第二十四条"),
    "training-service-period": ("《劳动合同法》第二十二条",),
    "agency-workers": ("《劳动合同法》第六十三条",),
    "part-time-work": ("《劳动合同法》第六十八条", "《劳动合同法》第七十二条"),
    "refuse-unsafe-work": ("《劳动合同法》第三十二条", "《安全生产法》"),
    "heat-protection": ("《防暑降温措施管理办法》第十七条",),
    "occupational-disease": ("《职业病防治法》",),
    "company-rules": ("《劳动合同法》第四条",),
    "collective-contract": ("《劳动合同法》第五十一条", "《工会法》"),
    "joining-union": ("《工会法》第三条", "《中国工会章程》"),
    "workers-congress": ("《企业民主管理规定》",),
    "dispute-mediation": ("《劳动争议调解仲裁法》第十条",),
    "labour-arbitration": ("《劳动争议调解仲裁法》第二十八条", "《劳动争议调解仲裁法》第五十三条"),
    "arbitration-time-limit": ("《劳动争议调解仲裁法》第二十七条",),
}


def test_there_are_at_least_eighty_entries_and_every_topic_has_one() -> None:
    assert len(ENTRIES) >= 80
    assert set(TOPICS) <= set(ENTRIES)


@pytest.mark.parametrize("entry_id", sorted(TOPICS))
def test_each_topic_cites_the_statutes_it_rests_on(entry_id: str) -> None:
    cited = " ".join(ENTRIES[entry_id].citations)
    for article in TOPICS[entry_id]:
        assert article in cited, f"{entry_id} must cite {article}"


@pytest.mark.parametrize("entry", ENTRIES.values(), ids=list(ENTRIES))
def test_every_entry_has_phrasings_an_answer_a_citation_and_a_next_step(entry: Entry) -> None:
    assert len(entry.questions) >= 4
    assert entry.citations and all(CITATION.search(c) for c in entry.citations)
    assert "怎么办：" in entry.answer.splitlines()[-1]
    if entry.answer_en:
        assert entry.questions_en and "What to do:" in entry.answer_en.splitlines()[-1]


def test_a_missing_citation_or_phrasing_fails_the_check() -> None:
    entry = ENTRIES["overtime-pay"]
    for broken, key in (
        (Entry(**{**entry.__dict__, "citations": ()}), "kb_needs_citation"),
        (Entry(**{**entry.__dict__, "questions": ()}), "kb_needs_question"),
        (Entry(**{**entry.__dict__, "citations": ("劳动法44条",)}), "kb_bad_citation"),
    ):
        with pytest.raises(EntryError) as error:
            check(broken)
        assert error.value.key == key


def test_the_evaluation_set_is_labelled_apart_from_the_entries() -> None:
    expect: dict[str, list[str]] = EVAL["expect"]
    # The set predates the entries added by issue 15 (tests/data/rights_dev.toml covers them).
    assert set(expect) <= set(ENTRIES)
    phrasings = {q for e in ENTRIES.values() for q in (*e.questions, *e.questions_en)}
    for entry_id, questions in expect.items():
        assert questions, entry_id
        assert not phrasings.intersection(questions), entry_id


def test_every_entry_is_learnt_from_workers_own_phrasings_in_both_languages() -> None:
    """bot/rights/examples/: how workers really ask (stories, slang, typos, English), so the
    search learns more than the tidy phrasings a cadre sees in the form."""
    for entry in ENTRIES.values():
        assert len(entry.examples) >= 10 and len(entry.examples_en) >= 5, entry.id
        assert not set(entry.examples) & set(entry.questions), entry.id


def test_a_cadres_revision_keeps_the_examples_its_entry_is_learnt_from() -> None:
    base = ENTRIES["overtime-pay"]
    revision = KbRevision(
        id=7,
        entry_id=base.id,
        action=KbAction.EDIT,
        data={**base.to_data(), "answer": "改过的回答"},
        retired=False,
    )
    [revised] = [e for e in overlay([base], [revision]) if e.id == base.id]
    assert revised.answer == "改过的回答" and revised.revision == 7
    assert revised.examples == base.examples and revised.examples_en == base.examples_en
