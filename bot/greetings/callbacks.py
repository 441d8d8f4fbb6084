"""The greetings' buttons."""

from __future__ import annotations

from bot.core.callbacks import CallbackData


class GreetNowPress(CallbackData, prefix="greet"):
    """An admin's 「立即补发」 under /greetnow. `runs` is how many manual runs today had gone
    when the button was drawn: a press runs only if none went since, so two taps in flight
    run once, while a later /greetnow draws a fresh button for a deliberate rerun."""

    runs: int
