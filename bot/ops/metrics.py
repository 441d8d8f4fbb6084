"""What the bot counts for Prometheus: updates, handling time, sends by outcome, 429s, job
runs, the greeting run's size, and (read at each scrape) the outbox by kind. One registry per
running application, so two in one process (tests) never mix their figures."""

from __future__ import annotations

from datetime import datetime

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)


class Metrics:
    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.updates = Counter(
            "unionbridge_updates", "Updates received, by type", ["type"], registry=r
        )
        self.update_seconds = Histogram(
            "unionbridge_update_seconds",
            "Time to handle one update",
            buckets=LATENCY_BUCKETS,
            registry=r,
        )
        self.sends = Counter(
            "unionbridge_sends", "Outbox sends by outcome class", ["outcome"], registry=r
        )
        self.throttled = Counter(
            "unionbridge_throttled", "429 Too Many Requests answers received", registry=r
        )
        self.job_runs = Counter("unionbridge_job_runs", "Job runs", ["job"], registry=r)
        self.job_seconds = Histogram(
            "unionbridge_job_seconds", "Job run time", ["job"], buckets=LATENCY_BUCKETS, registry=r
        )
        self.greeting_run_size = Gauge(
            "unionbridge_greeting_run_size", "Messages queued by the last greeting run", registry=r
        )
        self.outbox_depth = Gauge(
            "unionbridge_outbox_depth",
            "Rows waiting to be delivered, by kind",
            ["kind"],
            registry=r,
        )
        self.outbox_oldest = Gauge(
            "unionbridge_outbox_oldest_seconds",
            "Age of the oldest row due, by kind",
            ["kind"],
            registry=r,
        )

        self.tasks = Gauge(
            "unionbridge_asyncio_tasks", "Asyncio tasks alive in the process", registry=r
        )
        self.db_checked_out = Gauge(
            "unionbridge_db_connections_checked_out",
            "Database connections lent out of the pool",
            registry=r,
        )

    def set_outbox(self, stats: list[tuple[str, int, datetime | None]], now: datetime) -> None:
        """The outbox as one scrape finds it: (kind, rows waiting, oldest due) per kind."""
        self.outbox_depth.clear()
        self.outbox_oldest.clear()
        for kind, depth, oldest in stats:
            self.outbox_depth.labels(kind).set(depth)
            age = (now - oldest).total_seconds() if oldest is not None and oldest <= now else 0.0
            self.outbox_oldest.labels(kind).set(age)

    def render(self) -> bytes:
        return generate_latest(self.registry)
