"""The conversation each user is in. Functions take the session first and never commit."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Dialog


async def get(session: AsyncSession, user_id: int) -> Dialog | None:
    return await session.get(Dialog, user_id)


async def put(
    session: AsyncSession,
    *,
    user_id: int,
    flow: str,
    step: int,
    data: dict[str, Any],
    now: datetime,
) -> Dialog:
    """Start or advance the user's conversation; there is at most one per user."""
    dialog = await session.get(Dialog, user_id)
    if dialog is None:
        dialog = Dialog(user_id=user_id, flow=flow, step=step, data=dict(data), updated_at=now)
    else:
        dialog.flow = flow
        dialog.step = step
        # A new dict, so SQLAlchemy sees the JSON column change.
        dialog.data = dict(data)
        dialog.updated_at = now
    session.add(dialog)
    await session.flush()
    return dialog


async def clear(session: AsyncSession, *, user_id: int) -> bool:
    dialog = await session.get(Dialog, user_id)
    if dialog is None:
        return False
    await session.delete(dialog)
    await session.flush()
    return True


async def take(session: AsyncSession, *, user_id: int, flow: str, step: int) -> Dialog | None:
    """End the user's conversation if it is at this step of this flow, and return it; None
    if it is not (already finished by a press a moment earlier). The row is locked first, so
    of two presses in flight exactly one gets it."""
    query = (
        select(Dialog)
        .where(col(Dialog.user_id) == user_id, col(Dialog.flow) == flow, col(Dialog.step) == step)
        .with_for_update()
    )
    dialog = (await session.exec(query)).first()
    if dialog is None:
        return None
    await session.delete(dialog)
    await session.flush()
    return dialog
