"""Who the console is talking to, and what the page needs to draw itself in their language:
their name and role, the texts (every console text of the catalogue), the departments,
categories and kinds to filter by, and the statuses of the case board's columns."""

from __future__ import annotations

from aiohttp import web

from bot.cases.board import COLUMNS
from bot.console.http import Call, answer
from bot.core.labels import label
from bot.core.telegram_html import plain
from bot.members.directory import ROLE_NAMES
from bot.roles import Role
from bot.strings import Lang, catalogue, t
from storage.statuses import CaseKind

PAGE_TEXTS = "console_"  # the page's texts are the catalogue's console_* keys


def texts(lang: Lang) -> dict[str, str]:
    """The console's texts as plain text (placeholders left for the page to fill)."""
    return {
        key: plain(value) for key, value in catalogue(lang).items() if key.startswith(PAGE_TEXTS)
    }


async def me(call: Call) -> web.Response:
    caller, lang, config = call.caller, call.lang, call.deps.config
    return answer(
        {
            "name": caller.name,
            "role": ROLE_NAMES[caller.role],
            "allowed": caller.role >= Role.CADRE,
            "lang": lang,
            "union": config.union.name,
            "strings": texts(lang),
            "departments": config.union.departments,
            "categories": config.cases.categories,
            "kinds": [[kind.value, plain(t(lang, label(kind)))] for kind in CaseKind],
            "board": [[status.value, plain(t(lang, label(status)))] for status in COLUMNS],
        }
    )
