"""A local Bot API server that behaves like Telegram's for the methods the bot uses.

Tests drive the real bot through it; `unionbridge sandbox` puts a chat page on it.
"""

from bot.emulator.chaos import Chaos, ChaosRates
from bot.emulator.model import ApiError, Fault, SentMessage
from bot.emulator.server import EmulatorServer
from bot.emulator.state import Emulator

__all__ = ["ApiError", "Chaos", "ChaosRates", "Emulator", "EmulatorServer", "Fault", "SentMessage"]
