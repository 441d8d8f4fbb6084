"""What /forget does to each column that can name a member is read from the metadata; the
explicit exceptions name columns that exist, and every table that can name a member has
something done to it."""

from __future__ import annotations

from sqlmodel import SQLModel

from storage.forgetting import OVERRIDES, Act, links


def test_every_override_names_a_real_column() -> None:
    tables = SQLModel.metadata.tables
    for table, column in OVERRIDES:
        assert table in tables and column in tables[table].columns, (table, column)


def test_rows_about_a_member_go_and_the_unions_records_lose_the_link() -> None:
    acts = {(link.table.name, link.column.name): link.act for link in links()}
    assert acts[("signup", "member_id")] == Act.DELETE  # theirs
    assert acts[("dialog", "user_id")] == Act.DELETE
    assert acts[("console_login", "telegram_id")] == Act.DELETE
    assert acts[("notice", "author_telegram_id")] == Act.UNLINK  # the union's
    assert acts[("case", "assignee_member_id")] == Act.UNLINK
    assert acts[("case", "reporter_member_id")] == Act.CASES
    assert ("member", "id") not in acts
    named = {table for table, _ in acts}
    assert {"outbox", "vote_participation", "kb_question", "visit", "open_item"} <= named
