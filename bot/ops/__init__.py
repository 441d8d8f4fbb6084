"""Running it for real: health and metrics, backups, retention, doctor."""
