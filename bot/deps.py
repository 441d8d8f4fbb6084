"""The long-lived services the bot runs with; the composition root builds them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from bot.clock import Clock
from bot.config import Config
from bot.delivery.runtime import DeliveryRuntime
from bot.delivery.worker import instance_name
from bot.notices.schedule import NoticePolicy
from bot.ops.metrics import Metrics
from bot.ops.outage import OutageTracker
from bot.rights.library import KnowledgeBase
from storage.db import Database


@dataclass(frozen=True)
class Deps:
    """Configuration, database, clock, the delivery worker handle and the knowledge base."""

    config: Config
    db: Database
    clock: Clock
    delivery: DeliveryRuntime
    knowledge: KnowledgeBase = field(default_factory=KnowledgeBase)
    metrics: Metrics = field(default_factory=Metrics)
    outage: OutageTracker = field(default_factory=OutageTracker)
    instance: str = field(default_factory=instance_name)

    @property
    def admins(self) -> frozenset[int]:
        return frozenset(self.config.union.admins)

    @property
    def live_count_interval(self) -> timedelta:
        """How often a live count under a group post may be edited."""
        return timedelta(seconds=self.config.delivery.live_count_seconds)

    @property
    def notice_policy(self) -> NoticePolicy:
        settings = self.config.notices
        return NoticePolicy(
            remind_after=timedelta(minutes=settings.remind_after_minutes),
            remind_times=settings.remind_times,
            private_when_no_group=settings.private_when_no_group,
            night=settings.night,
        )
