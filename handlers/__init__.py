"""Thin Telegram adapters, one module per feature; each exposes handlers()."""
