"""The one rule deciding how a notice reaches each person, and how its reach reads in both
languages."""

from __future__ import annotations

import re

import pytest

from bot.config import parse_config
from bot.notices.audience import NO_GROUP, NOT_REGISTERED, Plan, Reach
from bot.notices.reach_view import reach_text
from storage.members import RosterPerson
from storage.models import GroupChat
from storage.statuses import NoticeTarget, NoticeWay

GROUPS, MEMBERS, BOTH = NoticeTarget.GROUPS, NoticeTarget.MEMBERS, NoticeTarget.BOTH
GROUP, PRIVATE = NoticeWay.GROUP, NoticeWay.PRIVATE


def person(
    department: str = "一车间",
    *,
    registered: bool = True,
    active: bool = True,
    unreachable: str | None = None,
) -> RosterPerson:
    return RosterPerson(
        1, "王五", department, 77, registered, active, unreachable, "zh", None, None
    )


@pytest.mark.parametrize(
    ("target", "private_when_no_group", "who", "way", "written"),
    [
        (GROUPS, True, person(), GROUP, False),
        (GROUPS, True, person("质检部"), PRIVATE, True),
        (GROUPS, False, person("质检部"), NO_GROUP, False),
        (
            GROUPS,
            True,
            person("质检部", active=False, unreachable="deactivated"),
            "deactivated",
            False,
        ),
        (GROUPS, True, person("质检部", active=False), "blocked", False),
        (GROUPS, True, person(active=False, unreachable="blocked"), GROUP, False),
        (GROUPS, True, person(registered=False), NOT_REGISTERED, False),
        (MEMBERS, False, person(), PRIVATE, True),
        (MEMBERS, True, person(active=False, unreachable="blocked"), "blocked", False),
        (BOTH, True, person(), GROUP, True),
        (BOTH, False, person("质检部"), PRIVATE, True),
    ],
)
def test_each_person_has_one_way_or_a_reason(
    target: NoticeTarget,
    private_when_no_group: bool,
    who: RosterPerson,
    way: str,
    written: bool,
) -> None:
    rule = Plan(target, frozenset({"一车间"}), 40_001, private_when_no_group)
    assert rule.way(who) == way
    assert rule.writes_to(who) == written


def _reach() -> Reach:
    found = Reach([GroupChat(chat_id=-1, title="一车间群", department="一车间")])
    found.of("一车间").groups.append("一车间群")
    for name, department, way in (
        ("甲", "一车间", GROUP),
        ("乙", "一车间", GROUP),
        ("丙", "质检部", NO_GROUP),
        ("丁", "质检部", NO_GROUP),
        ("戊", "质检部", NOT_REGISTERED),
    ):
        found.count(name, department, way)
    return found


def test_the_reach_reads_as_people_by_way_and_names_whom_it_misses() -> None:
    text = reach_text(_reach(), "zh", to_groups=True)
    assert "送达 2 人：群里 2 人，私信 0 人，收不到 3 人" in text
    assert "车间群 1 个：一车间群" in text
    assert "<b>质检部</b>：群里 0 人，私信 0 人（没有绑定车间群）" in text
    assert "收不到（部门没有车间群）：丙、丁" in text
    assert "收不到（没有在机器人登记）：戊" in text
    assert "质检部 没有绑定车间群" in text and "这 2 人收不到" in text


def test_the_reach_reads_in_english_without_chinese_words() -> None:
    text = reach_text(_reach(), "en", to_groups=True)
    assert "Reaches 2 people: 2 through their group, 0 privately, 3 not reached" in text
    assert "not reached (no group for the department): 丙, 丁" in text
    assert "Send anyway?" in text
    names = {"甲", "乙", "丙", "丁", "戊", "一车间", "一车间群", "质检部"}
    leftover = re.sub("|".join(sorted(names, key=len, reverse=True)), "", text)
    assert not re.search(r"[\u4e00-\u9fff]", leftover), leftover


def test_private_copies_where_there_is_no_group_are_on_unless_turned_off() -> None:
    assert parse_config("").notices.private_when_no_group
    config = parse_config("[notices]\nprivate_when_no_group = false\n")
    assert not config.notices.private_when_no_group
