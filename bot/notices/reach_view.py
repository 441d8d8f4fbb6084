"""How a notice's reach reads, in the preview and in /receipts: people reached and by which
way, the groups separately, and per department who it cannot reach and why."""

from __future__ import annotations

from bot.notices.audience import NO_GROUP, DepartmentReach, Reach
from bot.strings import Html, Lang, t

NAMES_SHOWN = 40
REASONS = {
    "blocked": "reason_blocked",
    "deactivated": "reason_deactivated",
    "kicked": "reason_kicked",
    "left": "reason_left",
    "not_started": "reason_not_started",
    "chat_not_found": "reason_chat_not_found",
    "network": "reason_network",
    "rejected": "reason_rejected",
    "not_registered": "reason_not_registered",
    "no_group": "reason_no_group",
}


def reason_text(lang: Lang, code: str) -> Html:
    return t(lang, REASONS.get(code, "reason_rejected"))


def names_text(lang: Lang, names: list[str]) -> str:
    """Names joined, at most NAMES_SHOWN of them, then how many more."""
    shown = t(lang, "names_sep").join(names[:NAMES_SHOWN])
    more = len(names) - NAMES_SHOWN
    return shown + (t(lang, "receipt_more", count=more) if more > 0 else "")


def missed_lines(entry: DepartmentReach, lang: Lang) -> list[str]:
    """One line per reason: 「收不到（屏蔽了机器人）：王五、赵六」."""
    by_reason: dict[str, list[str]] = {}
    for missed in entry.missed:
        by_reason.setdefault(missed.reason, []).append(missed.name)
    return [
        t(lang, "reach_missed", reason=reason_text(lang, reason), names=names_text(lang, names))
        for reason, names in by_reason.items()
    ]


def missed_names(entry: DepartmentReach, lang: Lang) -> list[str]:
    """「王五（屏蔽了机器人）」 for each person the notice misses (the console's list)."""
    return [
        t(lang, "name_with_reason", name=m.name, reason=reason_text(lang, m.reason))
        for m in entry.missed
    ]


def total_line(found: Reach, lang: Lang) -> Html:
    return t(
        lang,
        "reach_total",
        people=found.people,
        by_group=found.by_group,
        privately=found.privately,
        missed=found.missed,
    )


def reach_text(found: Reach, lang: Lang, *, to_groups: bool) -> Html:
    """The preview's reach: the total, the groups, each department and whom it misses."""
    lines: list[str] = [total_line(found, lang)]
    if found.groups:
        titles = t(lang, "names_sep").join(group.title for group in found.groups)
        lines.append(t(lang, "reach_groups", count=len(found.groups), titles=titles))
    for entry in found.entries:
        head = t(
            lang,
            "reach_department",
            department=entry.department or t(lang, "word_unbound"),
            by_group=entry.by_group,
            privately=entry.privately,
        )
        lines.append(head + (t(lang, "reach_no_group") if to_groups and not entry.groups else ""))
        lines.extend(missed_lines(entry, lang))
    if missing := found.without_group:
        count = sum(m.reason == NO_GROUP for entry in missing for m in entry.missed)
        departments = t(lang, "names_sep").join(entry.department for entry in missing)
        lines.append("\n" + t(lang, "notice_no_group_ask", departments=departments, count=count))
    return Html("\n".join(lines))
