"""Typed callback data: packed within Telegram's 64 bytes, parsed back, forgeries refused."""

from enum import StrEnum

import pytest

from bot.core.callbacks import MAX_BYTES, CallbackData, known, registered


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


class Sample(CallbackData, prefix="tsmp"):
    item: int
    colour: Colour
    yes: bool
    name: str
    extra: int | None = None


def test_pack_and_parse_round_trip() -> None:
    value = Sample(item=42, colour=Colour.BLUE, yes=True, name="written-contract")
    packed = value.pack()
    assert packed == "tsmp:42:blue:1:written-contract:"
    assert Sample.parse(packed) == value
    with_extra = Sample(item=-3, colour=Colour.RED, yes=False, name="a", extra=7)
    assert Sample.parse(with_extra.pack()) == with_extra


@pytest.mark.parametrize(
    "forged",
    [
        None,
        "",
        "tsmp:42:green:1:x:",
        "tsmp:42:blue:2:x:",
        "tsmp:abc:blue:1:x:",
        "tsmp:42:blue:1:x",
        "tsmp:42:blue:1:x::",
        "tsmp:42:blue:1:名字:",
        "xtsmp:42:blue:1:x:",
        "tsmp:42:blue:1:x:\n",
        "tsmp:9999999999999999999:blue:1:x:",
    ],
)
def test_anything_else_parses_to_none(forged: str | None) -> None:
    assert Sample.parse(forged) is None


def test_pattern_is_anchored_and_matches_only_its_payloads() -> None:
    pattern = Sample.pattern()
    assert pattern.startswith("^tsmp:") and pattern.endswith("$")


def test_values_that_do_not_fit_are_refused_when_packing() -> None:
    with pytest.raises(ValueError, match="short ASCII"):
        Sample(item=1, colour=Colour.RED, yes=True, name="has:colon").pack()
    with pytest.raises(ValueError, match=f"over {MAX_BYTES} bytes"):
        Sample(item=1, colour=Colour.RED, yes=True, name="x" * 40, extra=10**17).pack()


def test_prefixes_are_unique_and_checked() -> None:
    with pytest.raises(ValueError, match="is used by"):

        class Again(CallbackData, prefix="tsmp"):
            item: int

    with pytest.raises(ValueError, match="lowercase"):

        class Bad(CallbackData, prefix="Has Space"):
            item: int


def test_known_recognises_only_declared_payloads() -> None:
    assert known(Sample(item=1, colour=Colour.RED, yes=True, name="n").pack())
    assert not known("tsmp:1")
    assert not known("nosuch:1")
    assert registered()["tsmp"] is Sample
