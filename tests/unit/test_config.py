import pytest

from bot.config import DEFAULT_DATABASE_URL, TOKEN_ENV, ConfigError, parse_config


def test_defaults_are_usable() -> None:
    config = parse_config("")
    assert config.database.url == DEFAULT_DATABASE_URL
    assert config.union.timezone == "Asia/Shanghai"
    assert config.telegram.mode == "polling"


def test_every_bad_key_is_named_with_its_fix() -> None:
    with pytest.raises(ConfigError) as caught:
        parse_config(
            '[union]\ntimezone = "Asia/Shangai"\ndepartments = []\ncolour = 1\n'
            '[database]\nurl = "mysql://x"\n[telegram]\nmode = "push"\n',
            source="config.toml",
        )
    message = str(caught.value)
    assert message.startswith("config.toml:")
    assert "[union] timezone: 'Asia/Shangai' is not a known time zone" in message
    assert "[union] departments: list at least one department" in message
    assert "unknown key [union] colour" in message
    assert "[database] url: use sqlite+aiosqlite://" in message
    assert "[telegram] mode:" in message


def test_webhook_mode_needs_a_url() -> None:
    with pytest.raises(ConfigError, match="webhook_url"):
        parse_config('[telegram]\nmode = "webhook"\n')
    with pytest.raises(ConfigError, match="secret_token"):
        parse_config('[telegram.webhook]\nsecret_token = "has space"\n')


def test_bad_toml_is_reported() -> None:
    with pytest.raises(ConfigError, match="not valid TOML"):
        parse_config("[union\n")


def test_environment_token_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    config = parse_config('[telegram]\ntoken = "from-file"\n')
    monkeypatch.delenv(TOKEN_ENV, raising=False)
    assert config.token == "from-file"
    monkeypatch.setenv(TOKEN_ENV, "from-env")
    assert config.token == "from-env"


def test_duplicate_departments_rejected() -> None:
    with pytest.raises(ConfigError, match="unique"):
        parse_config('[union]\ndepartments = ["一车间", "一车间"]\n')


def test_the_postgresql_pool_is_sized_in_config() -> None:
    config = parse_config("[database]\npool_size = 40\nmax_overflow = 0\n")
    assert (config.database.pool_size, config.database.max_overflow) == (40, 0)
    with pytest.raises(ConfigError, match=r"\[database\] pool_size"):
        parse_config("[database]\npool_size = 0\n")


def test_the_reminder_night_is_a_window_of_the_clock_or_off() -> None:
    assert parse_config("").notices.night == (22 * 60, 7 * 60)
    assert parse_config('[notices]\nreminder_night = "off"\n').notices.night is None
    assert parse_config('[notices]\nreminder_night = "23:30-06:00"\n').notices.night == (1410, 360)
    with pytest.raises(ConfigError, match=r"\[notices\] reminder_night: write a window"):
        parse_config('[notices]\nreminder_night = "晚上"\n')
