"""The open board's table: the 公示 items cadres put up for a period (re-exported by
storage.models)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, SQLModel

from storage.columns import utc as _utc
from storage.statuses import OpenItemStatus
from storage.types import EnumText

OPEN_ITEM_MAX = 1000


class OpenItem(SQLModel, table=True):
    """A free-text 公示 item (「中秋福利发放名单公示」) shown on /open from `starts_at` until
    `ends_at`, unless a cadre withdraws it first."""

    __tablename__ = "open_item"

    id: int | None = Field(default=None, primary_key=True)
    text: str = Field(sa_column=Column(String(OPEN_ITEM_MAX), nullable=False))
    starts_at: datetime = _utc()
    ends_at: datetime = _utc(index=True)
    status: OpenItemStatus = Field(
        default=OpenItemStatus.SHOWN,
        sa_column=Column(EnumText(OpenItemStatus, 10), nullable=False),
    )
    author_member_id: int | None = Field(default=None, foreign_key="member.id", ondelete="SET NULL")
    created_at: datetime = _utc()
    withdrawn_at: datetime | None = _utc(nullable=True)
