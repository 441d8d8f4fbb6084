"""Who a notice reaches and by which way, department by department: the people its
departments' groups reach, those written to privately, and those it cannot reach at all (not
registered with the bot, blocked it, no group) — by name, so a cadre knows whom to tell in
person. One computation for the preview, the release, /receipts and the web console; the
author is never part of it. Telegram-free."""

from __future__ import annotations

from collections import Counter
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery.outcome import UNREACHABLE_CODES
from bot.delivery.outgoing import OutKind
from storage import groups, members, notices, outbox
from storage.members import RosterPerson
from storage.models import GroupChat, Notice
from storage.statuses import NoticeTarget, NoticeWay

NOT_REGISTERED = "not_registered"  # on the roster, never registered with the bot
NO_GROUP = "no_group"  # a groups-only notice, a department without a group, no private copies
BLOCKED = "blocked"
PAGE = 1000  # people read per page: memory stays flat however large the union


@dataclass(frozen=True)
class Plan:
    """What decides each person's way: the target, the departments with a bound group the
    notice goes to, its author, and whether a department without a group is written to."""

    target: NoticeTarget
    grouped: frozenset[str]
    author: int | None
    private_when_no_group: bool

    def writes_to(self, person: RosterPerson) -> bool:
        """Whether this person gets a private copy (for a notice to groups and members, on
        top of their group's)."""
        if not person.registered or person.telegram_id is None or not person.active:
            return False
        if self.target != NoticeTarget.GROUPS:
            return True
        return person.department not in self.grouped and self.private_when_no_group

    def way(self, person: RosterPerson) -> NoticeWay | str:
        """How the notice reaches this person, or why it cannot."""
        if not person.registered or person.telegram_id is None:
            return NOT_REGISTERED
        if self.target != NoticeTarget.MEMBERS and person.department in self.grouped:
            return NoticeWay.GROUP
        if self.writes_to(person):
            return NoticeWay.PRIVATE
        if self.target == NoticeTarget.GROUPS and not self.private_when_no_group:
            return NO_GROUP
        return person.unreachable or BLOCKED


@dataclass(frozen=True)
class Missed:
    name: str
    reason: str


@dataclass
class DepartmentReach:
    department: str
    groups: list[str] = field(default_factory=list)  # the bound groups' titles
    by_group: int = 0
    privately: int = 0  # people written to privately, those in a group too
    both: int = 0  # in a group and written to (a notice to groups and members)
    waiting: int = 0  # private copies not delivered yet (receipts)
    missed: list[Missed] = field(default_factory=list)

    @property
    def people(self) -> int:
        """People reached, whichever way (once each)."""
        return self.by_group + self.privately - self.both


@dataclass
class Reach:
    """Where a notice goes: the groups, per department the people by way, and the copies
    written privately."""

    groups: list[GroupChat]
    departments: dict[str, DepartmentReach] = field(default_factory=dict)
    written: int = 0  # private copies

    def of(self, department: str) -> DepartmentReach:
        return self.departments.setdefault(department, DepartmentReach(department))

    def count(
        self, name: str, department: str, way: NoticeWay | str, *, copy: bool = False
    ) -> None:
        """One person: reached by their group (and, with `copy`, written to as well),
        written to, or missed for the reason `way` gives."""
        entry = self.of(department)
        if way == NoticeWay.GROUP:
            entry.by_group += 1
            entry.privately += copy
            entry.both += copy
        elif way == NoticeWay.PRIVATE:
            entry.privately += 1
        else:
            entry.missed.append(Missed(name, way))

    @property
    def entries(self) -> list[DepartmentReach]:
        return sorted(self.departments.values(), key=lambda entry: entry.department)

    @property
    def people(self) -> int:
        return sum(entry.people for entry in self.departments.values())

    @property
    def by_group(self) -> int:
        return sum(entry.by_group for entry in self.departments.values())

    @property
    def privately(self) -> int:
        return sum(entry.privately for entry in self.departments.values())

    @property
    def both(self) -> int:
        return sum(entry.both for entry in self.departments.values())

    @property
    def missed(self) -> int:
        return sum(len(entry.missed) for entry in self.departments.values())

    @property
    def without_group(self) -> list[DepartmentReach]:
        """Departments a groups-only notice misses because they have no group (a union that
        does not write to them privately): the preview asks before sending."""
        return [e for e in self.entries if any(m.reason == NO_GROUP for m in e.missed)]

    def department_size(self, department: str | None) -> int:
        entry = self.departments.get(department or "")
        return entry.people if entry else 0


async def plan(
    session: AsyncSession, notice: Notice, *, private_when_no_group: bool
) -> tuple[Plan, list[GroupChat]]:
    """The notice's plan and the bound groups it goes to."""
    chats = (
        await groups.bound(session, departments=notice.departments)
        if notice.target != NoticeTarget.MEMBERS
        else []
    )
    grouped = frozenset(chat.department for chat in chats if chat.department is not None)
    rule = Plan(notice.target, grouped, notice.author_telegram_id, private_when_no_group)
    return rule, chats


async def walk(
    session: AsyncSession, rule: Plan, departments: list[str] | None
) -> AsyncIterator[list[tuple[RosterPerson, NoticeWay | str]]]:
    """The roster of the notice's departments a page at a time, each person with their way
    (the author left out)."""
    after = 0
    while page := await members.roster_page(
        session, departments=departments, after_id=after, limit=PAGE
    ):
        after = page[-1].id
        yield [(person, rule.way(person)) for person in page if person.telegram_id != rule.author]


async def reach(session: AsyncSession, notice: Notice, *, private_when_no_group: bool) -> Reach:
    """Who the notice would reach today, and how (the preview, the console)."""
    rule, chats = await plan(session, notice, private_when_no_group=private_when_no_group)
    found = Reach(chats)
    for chat in chats:
        found.of(chat.department or "").groups.append(chat.title)
    for department in notice.departments or []:
        found.of(department)
    async for page in walk(session, rule, notice.departments):
        for person, way in page:
            written = rule.writes_to(person)
            found.count(person.name, person.department, way, copy=written)
            found.written += written
    return found


@dataclass
class Recorded:
    """A sent notice's reach as recorded at release and since (private copies that failed
    for good count as missed), who it reached, and how its group posts fared."""

    reach: Reach
    reached: list[tuple[int, str, str]]  # (member id, name, department)
    group_posts: Counter[str] = field(default_factory=Counter)  # sent / waiting / a failure


async def recorded(session: AsyncSession, notice: Notice) -> Recorded:
    assert notice.id is not None
    found = Reach([])
    for name, department, reason in await notices.missed(session, notice.id):
        found.count(name, department, reason)
    posts: Counter[str] = Counter()
    private: dict[int, tuple[str, str | None]] = {}
    rows = await outbox.deliveries(session, ref_id=notice.id, kinds=[OutKind.NOTICE.value])
    for member_id, chat_id, status, error in rows:
        if member_id is not None:
            private[member_id] = (status, error)
        elif chat_id < 0:
            posts[_state(status, error)] += 1
    reached = []
    for member_id, name, department, way in await notices.audience_names(session, notice.id):
        state = _state(*private.get(member_id, (outbox.SENT, None)))
        if way == NoticeWay.PRIVATE and state not in ("sent", "waiting"):
            found.count(name, department, state)
            continue
        copied = member_id in private and state in ("sent", "waiting")
        found.count(name, department, way, copy=copied)
        found.of(department).waiting += state == "waiting"
        reached.append((member_id, name, department))
    return Recorded(found, reached, posts)


def _state(status: str, error: str | None) -> str:
    if status == outbox.SENT:
        return "sent"
    if status in (outbox.FAILED, outbox.INACTIVE):
        return failure_code(error)
    return "waiting"


def failure_code(error: str | None) -> str:
    """A failure's reason: unreachable rows keep a code, others a Telegram or network text."""
    if error in UNREACHABLE_CODES:
        return error
    if error is not None and error.startswith("network"):
        return "network"
    return "rejected"


async def totals(session: AsyncSession, notice_ids: list[int]) -> dict[int, tuple[int, int]]:
    """Per notice: (the people it reached, how many of them confirmed)."""
    return await notices.totals(session, notice_ids)


async def released_between(
    session: AsyncSession, *, start: datetime, end: datetime
) -> list[Notice]:
    """Notices that went out in a period, oldest first."""
    return await notices.released_between(session, start=start, end=end)
