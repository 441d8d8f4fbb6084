from datetime import date

from bot.config import parse_config
from bot.greetings.calendar import falls_on
from bot.greetings.celebrations import festivals, statutory_days, working
from bot.greetings.digest import covered_days


def test_unions_switch_reword_and_add_festivals() -> None:
    config = parse_config(
        "[greetings.festivals.qixi]\nenabled = true\n"
        "[greetings.festivals.guoqing]\nenabled = false\n"
        '[greetings.festivals.zhongqiu]\ntext = "{union}祝大家中秋团圆"\n'
        '[[greetings.custom]]\nkey = "changqing"\nname = "厂庆日"\ndate = "10-18"\n'
        'text = "{union}生日快乐"\n'
        '[[greetings.custom]]\nkey = "anquan"\nname = "安全日"\ndate = "农历六月初六"\n'
        'text = "注意安全"\n'
    )
    chosen = {f.rule.key: f for f in festivals(config.greetings)}
    assert "qixi" in chosen and "guoqing" not in chosen
    assert chosen["zhongqiu"].text_zh == "{union}祝大家中秋团圆"
    assert falls_on(chosen["changqing"].rule, date(2026, 10, 18))
    assert chosen["anquan"].rule.kind == "lunar"
    assert "qingming" in chosen and "快乐" not in chosen["qingming"].text_zh  # 清明 with care


def test_statutory_fallback_days() -> None:
    days = statutory_days(2030)
    assert date(2030, 1, 1) in days and date(2030, 10, 1) in days and date(2030, 5, 1) in days
    assert len(days) == 7


def test_digest_covers_the_days_off_before_a_working_day() -> None:
    assert covered_days(date(2026, 11, 24)) == [date(2026, 11, 24)]  # a Tuesday
    assert covered_days(date(2026, 11, 23)) == [
        date(2026, 11, 21),
        date(2026, 11, 22),
        date(2026, 11, 23),
    ]
    after_national_day = covered_days(date(2026, 10, 8))
    assert after_national_day[0] == date(2026, 10, 1) and len(after_national_day) == 8
    assert covered_days(date(2026, 10, 10)) == [date(2026, 10, 10)]  # a Saturday made a workday
    assert working(date(2026, 11, 24)) and not working(date(2026, 10, 1))
