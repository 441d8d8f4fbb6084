"""Union Bridge (工会桥): a Telegram bot for a workplace trade union."""
