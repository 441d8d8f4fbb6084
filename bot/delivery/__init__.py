"""The delivery engine: the outbox worker, its flood limiter, and the Telegram transport."""
