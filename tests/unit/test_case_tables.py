"""The cases' state tables: what each kind allows, who may, and the desk drawn from them."""

import pytest

from bot.care.states import VISIT_STATES, VisitAction
from bot.cases.labels import BUTTONS, PROMPTS, STEPS, TOLD
from bot.cases.moves import RECORDED
from bot.cases.states import (
    DESK_ACTIONS,
    ROW_WIDTH,
    TABLES,
    WRITTEN,
    CaseAction,
    desk_rows,
    table_for,
)
from bot.core.labels import label
from bot.core.states import Refused
from bot.roles import Role
from bot.strings import catalogue
from storage.statuses import CaseKind, CaseStatus, VisitStatus, VoteStatus

A, S = CaseAction, CaseStatus
REPORTER = (A.ADD, A.SATISFIED, A.UNSATISFIED, A.SIGN)


def test_a_forged_adopt_on_a_grievance_is_refused() -> None:
    with pytest.raises(Refused) as refused:
        table_for(CaseKind.GRIEVANCE).check(S.SUBMITTED, A.ADOPT, Role.ADMIN)
    assert refused.value.key == "action_not_allowed"
    assert table_for(CaseKind.SUGGESTION).check(S.SUBMITTED, A.ADOPT, Role.CADRE) == S.ADOPTED


def test_accepting_is_offered_once() -> None:
    for kind, table in TABLES.items():
        assert table.check(S.SUBMITTED, A.ACK, Role.CADRE) == S.ACKNOWLEDGED, kind
        for status in CaseStatus:
            if status != S.SUBMITTED:
                assert not table.allows(status, A.ACK, Role.ADMIN), (kind, status)


def test_only_the_chair_approves_hardship_aid() -> None:
    table = table_for(CaseKind.HARDSHIP)
    with pytest.raises(Refused) as cadre:
        table.check(S.SUBMITTED, A.APPROVE, Role.CADRE)
    assert cadre.value.key == "admin_only"
    assert table.check(S.ACKNOWLEDGED, A.APPROVE, Role.ADMIN) == S.APPROVED
    assert A.APPROVE not in table.available(S.SUBMITTED, Role.CADRE)
    assert not any(
        t.allows(S.SUBMITTED, A.APPROVE, Role.ADMIN)
        for k, t in TABLES.items()
        if k != CaseKind.HARDSHIP
    )


def test_a_suggestion_is_published_once_and_co_signed_only_then() -> None:
    table = table_for(CaseKind.SUGGESTION)
    assert table.check(S.ADOPTED, A.PUBLISH, Role.CADRE) == S.PUBLISHED
    assert not table.allows(S.PUBLISHED, A.PUBLISH, Role.ADMIN)  # the second tap
    assert table.allows(S.PUBLISHED, A.SIGN, Role.MEMBER)
    assert not table.allows(S.ADOPTED, A.SIGN, Role.MEMBER)
    assert table.allows(S.PUBLISHED, A.REPLY, Role.CADRE)
    for kind in CaseKind:
        if kind != CaseKind.SUGGESTION:
            assert not any(table_for(kind).allows(s, A.SIGN, Role.ADMIN) for s in CaseStatus)


def test_a_reporter_rates_a_resolved_case_once() -> None:
    for kind in (CaseKind.GRIEVANCE, CaseKind.CONSULTATION, CaseKind.LIFE_EVENT):
        table = table_for(kind)
        assert table.check(S.RESOLVED, A.SATISFIED, Role.MEMBER) == S.CLOSED
        assert table.check(S.RESOLVED, A.UNSATISFIED, Role.MEMBER) == S.ESCALATED
        assert not table.allows(S.CLOSED, A.SATISFIED, Role.MEMBER)
        assert not table.allows(S.CLOSED, A.ADD, Role.MEMBER)
        assert table.allows(S.ESCALATED, A.ADD, Role.MEMBER)  # to say why, after reopening


def test_reporter_moves_need_a_member_and_desk_moves_a_cadre() -> None:
    for table in TABLES.values():
        for action in table.actions:
            needed = table.needs(action)
            assert (action in REPORTER) == (needed == Role.MEMBER), action
            assert action in REPORTER or action in DESK_ACTIONS or action == A.VIEW


def test_the_desk_draws_at_most_three_to_a_row_and_only_what_the_table_allows() -> None:
    for kind, table in TABLES.items():
        for status in CaseStatus:
            for role in (Role.CADRE, Role.ADMIN):
                rows = desk_rows(kind, status, role)
                assert all(0 < len(row) <= ROW_WIDTH for row in rows)
                drawn = [action for row in rows for action in row]
                allowed = set(table.available(status, role)) & DESK_ACTIONS
                assert set(drawn) == allowed, (kind, status, role)
    assert desk_rows(CaseKind.GRIEVANCE, S.SUBMITTED, Role.CADRE) == [
        [A.ACK, A.RESOLVE],
        [A.REPLY, A.ASK, A.ASSIGN],
        [A.ESCALATE, A.REJECT],
    ]


def test_every_action_is_named_in_both_catalogues() -> None:
    keys = [BUTTONS[a] for a in DESK_ACTIONS] + [PROMPTS[a] for a in WRITTEN]
    keys += list(TOLD.values()) + [STEPS[RECORDED[a]] for a in RECORDED]
    for lang in ("zh", "en"):
        assert [key for key in keys if key not in catalogue(lang)] == []  # type: ignore[arg-type]


def test_statuses_of_different_things_keep_their_own_labels() -> None:
    assert label(CaseStatus.CLOSED) == "status_closed"
    assert label(VoteStatus.CLOSED) == "vote_status_closed"
    assert label(CaseStatus.APPROVED) == "status_approved"
    assert label(VisitStatus.APPROVED) == "visit_status_approved"


def test_a_visit_over_the_cap_is_approved_once_by_the_chair() -> None:
    assert VISIT_STATES.check(VisitStatus.PENDING, VisitAction.APPROVE, Role.ADMIN) == (
        VisitStatus.APPROVED
    )
    with pytest.raises(Refused) as again:
        VISIT_STATES.check(VisitStatus.APPROVED, VisitAction.APPROVE, Role.ADMIN)
    assert again.value.key == "action_not_allowed"
    with pytest.raises(Refused) as cadre:
        VISIT_STATES.check(VisitStatus.PENDING, VisitAction.APPROVE, Role.CADRE)
    assert cadre.value.key == "admin_only"
