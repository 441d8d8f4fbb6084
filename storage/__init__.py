"""Persistence: sqlmodel tables, the async engine, query modules and migrations."""
