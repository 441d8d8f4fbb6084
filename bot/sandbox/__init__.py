"""`unionbridge sandbox`: the real bot on the local emulator, with demo data, a clock the
user can move, and a web page that works like a simple Telegram client."""
