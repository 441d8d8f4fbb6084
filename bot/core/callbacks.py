"""Typed callback data: what a button carries, packed into Telegram's 64 bytes and read back.

Each feature declares its buttons as small classes:

    class AckPress(CallbackData, prefix="ack"):
        notice_id: int

`AckPress(notice_id=7).pack()` gives "ack:7"; `AckPress.parse("ack:7")` gives the value back,
and anything else (a stale, forged or malformed payload) gives None. The keyboard a service
draws and the handler that takes the press use the same class, so nobody splits strings.
Fields may be int, bool, str (short ASCII names), a StrEnum, or `int | None`.
"""

from __future__ import annotations

import dataclasses
import re
import types
from enum import StrEnum
from typing import Any, ClassVar, Self, Union, dataclass_transform, get_args, get_origin
from typing import get_type_hints as _hints

MAX_BYTES = 64
SEPARATOR = ":"
_PREFIX = re.compile(r"^[a-z][a-z0-9]{0,5}$")
_NAME = re.compile(r"^[A-Za-z0-9_.\-]{1,40}$")
_REGISTRY: dict[str, type[CallbackData]] = {}


@dataclasses.dataclass(frozen=True)
class _Field:
    name: str
    regex: str
    load: Any
    dump: Any


def _int_field(name: str, optional: bool) -> _Field:
    regex = r"(-?\d{1,18})" + ("?" if optional else "")

    def load(raw: str) -> int | None:
        return int(raw) if raw else None

    def dump(value: int | None) -> str:
        if value is None:
            if not optional:
                raise ValueError(f"{name} may not be None")
            return ""
        return str(int(value))

    return _Field(name, regex, load, dump)


def _enum_field(name: str, enum: type[StrEnum]) -> _Field:
    choices = "|".join(re.escape(member.value) for member in enum)
    return _Field(name, f"({choices})", enum, lambda value: enum(value).value)


def _str_field(name: str) -> _Field:
    def dump(value: str) -> str:
        if not _NAME.match(value):
            raise ValueError(f"{name}={value!r} is not a short ASCII name")
        return value

    return _Field(name, r"([A-Za-z0-9_.\-]{1,40})", str, dump)


def _bool_field(name: str) -> _Field:
    return _Field(name, "([01])", lambda raw: raw == "1", lambda value: "1" if value else "0")


def _field_for(name: str, annotation: Any) -> _Field:
    optional = False
    if get_origin(annotation) in (Union, types.UnionType):
        args = [arg for arg in get_args(annotation) if arg is not type(None)]
        optional = len(args) == 1 and len(get_args(annotation)) == 2
        annotation = args[0] if optional else annotation
    if annotation is bool and not optional:
        return _bool_field(name)
    if annotation is int:
        return _int_field(name, optional)
    if optional:
        raise TypeError(f"{name}: only int may be optional in callback data")
    if isinstance(annotation, type) and issubclass(annotation, StrEnum):
        return _enum_field(name, annotation)
    if annotation is str:
        return _str_field(name)
    raise TypeError(f"{name}: callback data fields are int, bool, str or StrEnum")


@dataclass_transform(frozen_default=True)
class CallbackData:
    """Base of every button's payload. Subclasses name a unique prefix and declare fields."""

    prefix: ClassVar[str]
    _fields: ClassVar[tuple[_Field, ...] | None] = None
    _regex: ClassVar[re.Pattern[str] | None] = None

    def __init_subclass__(cls, *, prefix: str, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if not _PREFIX.match(prefix):
            raise ValueError(f"callback prefix {prefix!r}: 1-6 lowercase letters or digits")
        if prefix in _REGISTRY:
            raise ValueError(f"callback prefix {prefix!r} is used by {_REGISTRY[prefix].__name__}")
        cls.prefix = prefix
        dataclasses.dataclass(frozen=True)(cls)
        _REGISTRY[prefix] = cls

    @classmethod
    def _spec(cls) -> tuple[tuple[_Field, ...], re.Pattern[str]]:
        # Resolved on first use: the field types may be defined after the class in its module.
        if cls._fields is None or cls._regex is None:
            hints = _hints(cls)
            specs = tuple(
                _field_for(field.name, hints[field.name])
                for field in dataclasses.fields(cls)  # type: ignore[arg-type]
            )
            body = "".join(SEPARATOR + spec.regex for spec in specs)
            cls._fields, cls._regex = specs, re.compile(f"^{re.escape(cls.prefix)}{body}$")
        return cls._fields, cls._regex

    @classmethod
    def pattern(cls) -> str:
        """The one anchored regular expression that matches this class's payloads."""
        return cls._spec()[1].pattern

    @classmethod
    def parse(cls, data: str | None) -> Self | None:
        """The typed value of a payload, or None when it is not one of ours (or is forged)."""
        if data is None:
            return None
        specs, regex = cls._spec()
        found = regex.fullmatch(data)
        if found is None:
            return None
        try:
            values = {
                spec.name: spec.load(raw) for spec, raw in zip(specs, found.groups(), strict=True)
            }
        except ValueError:
            return None
        return cls(**values)

    def pack(self) -> str:
        """The payload for Telegram; refuses anything over its 64 bytes."""
        specs, _ = self._spec()
        data = self.prefix + "".join(
            SEPARATOR + spec.dump(getattr(self, spec.name)) for spec in specs
        )
        if len(data.encode()) > MAX_BYTES:
            raise ValueError(f"callback data {data!r} is over {MAX_BYTES} bytes")
        return data


def known(data: str | None) -> bool:
    """Whether any declared button could have sent this payload."""
    if data is None:
        return False
    prefix = data.partition(SEPARATOR)[0]
    kind = _REGISTRY.get(prefix)
    return kind is not None and kind.parse(data) is not None


def registered() -> dict[str, type[CallbackData]]:
    """Every declared button class by prefix (for tests that walk them all)."""
    return dict(_REGISTRY)
