"""What a member sees: an answer laid out for a phone, the question which of two entries they
mean, the near matches when the search is not sure, and what the bot does when a question is
not about labour rights. Telegram-free and pure: texts from the catalogue, typed buttons.

An answer puts its bottom line first (the numbers, the yes or no) in bold, keeps the law to
one line, and the routes to help to one short line with a button, so that it fits about one
phone screen (`screen_lines`).
"""

from __future__ import annotations

import html
import math
import re
import unicodedata
from dataclasses import dataclass

from bot.core.keyboard import Button, Keyboard
from bot.core.small_talk import Chat
from bot.rights.callbacks import (
    ChoicePress,
    HandoffPress,
    HelpfulPress,
    RelatedPress,
    Task,
    TaskPress,
)
from bot.rights.citations import CITATION_FORM
from bot.rights.statutes_en import cited_en
from bot.strings import Html, Lang, t

# A chat bubble on a phone 390 px wide holds about 19 Chinese characters a line (a Latin
# letter is half as wide); a screen shows about 30 such lines, a row of buttons taking two.
LINE_WIDTH = 19.0
SCREEN_LINES = 30
BUTTON_ROW_LINES = 2
_TAG = re.compile(r"<[^>]+>")


@dataclass(frozen=True)
class Reply:
    text: Html
    keyboard: Keyboard
    answer: bool = False  # an entry's answer (not a question back, nor "not a rights question")


def title(entry_title: str, english_title: str, lang: Lang) -> str:
    return english_title if lang == "en" and english_title else entry_title


def _width(line: str) -> float:
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in line)


def screen_lines(reply: Reply) -> int:
    """How many lines the reply takes in a phone's chat bubble, its buttons included."""
    text = html.unescape(_TAG.sub("", reply.text))
    lines = sum(max(1, math.ceil(_width(line) / LINE_WIDTH)) for line in text.split("\n"))
    return lines + BUTTON_ROW_LINES * len(reply.keyboard.rows)


def cited(citations: tuple[str, ...]) -> str:
    """Citations on one line, each statute named once with its articles, statutes in the
    order first cited (《劳动合同法》第三十八条、第四十六条；《劳动法》第三十二条)."""
    articles: dict[str, list[str]] = {}
    for citation in citations:
        form = CITATION_FORM.match(citation)
        if form and form.group(2):
            statute = citation[: citation.index("》") + 1]
            articles.setdefault(statute, []).append(citation[len(statute) :])
        else:
            articles.setdefault(citation, [])
    return "；".join(statute + "、".join(found) for statute, found in articles.items())


_SENTENCE = re.compile(r"^(.+?(?:[。！？]|[.!?](?=\s)|[：:](?=\n|$)))")


def bottom_line(first: str) -> tuple[str, str]:
    """The first sentence (the yes or no, the numbers) and the rest of the paragraph."""
    found = _SENTENCE.match(first)
    if found is None or len(found.group(1)) == len(first):
        return first, ""
    return found.group(1), first[len(found.group(1)) :]


def answer_text(heading: str, answer: str, citations: tuple[str, ...], lang: Lang) -> Html:
    """The answer's bottom line in bold, its detail, then the law and one line of help."""
    first, _, rest = answer.strip().partition("\n")
    lead, tail = bottom_line(first)
    body = f"<b>{html.escape(lead)}</b>{html.escape(tail)}"
    if rest.strip():
        body += "\n" + html.escape(rest.strip())
    if citations:
        shown = cited_en(citations) if lang == "en" else cited(citations)
        law = t(lang, "kb_citations", citations=shown)
    else:
        law = t(lang, "kb_cadre_answer")
    foot = law + "\n" + t(lang, "kb_help_routes")
    return Html("\n\n".join([t(lang, "kb_answer_title", title=heading), body, foot]))


def go(entry_id: str, label: str, lang: Lang) -> Button:
    """A related question's button; it remembers English, so the answer stays in it."""
    return Button("❓ " + label, RelatedPress(entry_id=entry_id, english=lang == "en"))


def choice(question_id: int, entry_id: str, label: str, lang: Lang) -> Button:
    """One of the entries the member may have meant: their question is answered by it."""
    press = ChoicePress(question_id=question_id, entry_id=entry_id, english=lang == "en")
    return Button("❓ " + label, press)


def handoff(question_id: int, lang: Lang) -> Button:
    return Button(t(lang, "btn_kb_handoff"), HandoffPress(question_id=question_id))


def answer_keyboard(question_id: int, lang: Lang, related: list[Button]) -> Keyboard:
    """Rating and the union on one row (a row of buttons costs a phone two lines of text),
    then the related questions, one a row."""
    first = [
        Button(t(lang, "btn_kb_helpful"), HelpfulPress(question_id=question_id, helpful=True)),
        Button(t(lang, "btn_kb_not_helpful"), HelpfulPress(question_id=question_id, helpful=False)),
        handoff(question_id, lang),
    ]
    return Keyboard.of([first, *([b] for b in related)])


def which_one(question_id: int, lang: Lang, options: list[tuple[str, str]]) -> Reply:
    """Two entries are about as likely: ask which one the member means, or neither."""
    rows = [[choice(question_id, entry_id, label, lang)] for entry_id, label in options]
    rows.append([Button(t(lang, "btn_kb_neither"), HandoffPress(question_id=question_id))])
    return Reply(Html(t(lang, "kb_which_one")), Keyboard.of(rows))


def not_sure(question_id: int, lang: Lang, options: list[tuple[str, str]]) -> Reply:
    """About work, but nothing fits well enough: the near matches, and the union."""
    lines = [t(lang, "kb_not_sure")]
    if options:
        lines.append(t(lang, "kb_maybe"))
    rows = [[choice(question_id, entry_id, label, lang)] for entry_id, label in options]
    rows.append([handoff(question_id, lang)])
    return Reply(Html("\n\n".join(lines)), Keyboard.of(rows))


TASKS = (
    (Task.ASK, "btn_task_ask"),
    (Task.REPORT, "btn_task_report"),
    (Task.ACTIVITIES, "btn_task_activities"),
    (Task.PROFILE, "btn_task_profile"),
    (Task.HELP, "btn_task_help"),
)
# What small talk is answered with (then the same buttons as above).
CHAT_REPLIES: dict[Chat, str] = {
    Chat.HELLO: "chat_hello",
    Chat.THANKS: "chat_thanks",
    Chat.THERE: "chat_there",
    Chat.MORNING: "chat_morning",
    Chat.NIGHT: "chat_night",
    Chat.BYE: "chat_bye",
}


def tasks(lang: Lang) -> Keyboard:
    """The bot's main tasks, two to a row (a phone's width)."""
    buttons = [Button(t(lang, key), TaskPress(task=task)) for task, key in TASKS]
    return Keyboard.of([buttons[i : i + 2] for i in range(0, len(buttons), 2)])


def small_talk_reply(kind: Chat, lang: Lang) -> Reply:
    """A greeting, thanks or 「在吗」 answered warmly, with what the bot can do."""
    return Reply(Html(t(lang, CHAT_REPLIES[kind])), tasks(lang))


def not_rights(lang: Lang) -> Reply:
    """Not a labour-rights question: say so kindly, and what the bot can do instead."""
    return Reply(Html(t(lang, "kb_not_rights")), tasks(lang))
