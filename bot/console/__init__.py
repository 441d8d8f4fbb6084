"""工会工作台: the cadres' Mini App, served by the bot process on the same services as the chat."""
