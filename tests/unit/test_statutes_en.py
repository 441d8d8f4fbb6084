"""Every statute a shipped answer cites has an English name, so an English answer's legal
basis reads in English."""

from __future__ import annotations

from bot.rights.citations import parts
from bot.rights.entries import shipped
from bot.rights.statutes_en import cited_en, statute_en


def test_every_cited_statute_has_an_english_name() -> None:
    missing = {
        name
        for entry in shipped()
        for citation in entry.citations
        for name, _, _ in parts(citation)
        if statute_en(name) is None
    }
    assert not missing


def test_citations_read_in_english_with_arabic_articles() -> None:
    shown = cited_en(
        ("《劳动法》第四十四条", "《工资支付暂行规定》第十三条", "《劳动法》第四十一条")
    )
    assert shown == "Labour Law, Art. 44, 41; Wage Payment Provisions, Art. 13"
    assert cited_en(("《刑法》第二百七十六条之一",)) == "Criminal Law, Art. 276-1"
