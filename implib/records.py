"""Immutable records and named choices, without dataclasses' or enum's import cost.

``implib gen`` runs inside every build, and on a cache hit it must finish in
about the time the interpreter takes to start: ``import dataclasses`` (which
imports inspect) and ``import enum`` each cost more than the whole hit. The
few value types on that path (targets, Python builds) are built on these
two small bases instead; everything else in implib uses dataclasses freely.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar

    C = TypeVar("C", bound="Choice")

__all__ = ["Choice", "Record"]


class Record:
    """An immutable value: equality, hash and repr come from its ``__slots__``.

    A subclass lists its fields in ``__slots__``, in the order of its
    ``__init__``'s parameters (pickling passes them back that way), and sets
    them in ``__init__`` through ``object.__setattr__``, as a frozen
    dataclass does.
    """

    __slots__ = ()

    def _values(self) -> tuple[Any, ...]:
        names: tuple[str, ...] = self.__slots__
        return tuple(getattr(self, name) for name in names)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, *self._values()))

    def __repr__(self) -> str:
        names: tuple[str, ...] = self.__slots__
        fields = ", ".join(f"{name}={getattr(self, name)!r}" for name in names)
        return f"{self.__class__.__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self.__class__.__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self.__class__.__name__} is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._values())


class Choice(str):
    """One of a fixed set of names, like a ``str`` Enum member.

    Each subclass makes its members once, with :meth:`member`, and keeps them
    in ``members``; members compare equal to their text and are compared
    with ``is``, as Enum members are.
    """

    __slots__ = ()
    members: tuple[Any, ...] = ()

    @classmethod
    def member(cls: type[C], name: str, value: str) -> C:
        """Make the member ``name`` (for repr) with the text ``value``."""
        made = str.__new__(cls, value)
        cls._names = {**getattr(cls, "_names", {}), value: name}  # type: ignore[attr-defined]
        cls.members = (*cls.members, made)
        return made

    @classmethod
    def lookup(cls: type[C], value: str) -> C:
        """The member whose text is ``value``; ValueError if there is none."""
        for member in cls.members:
            if member == value:
                return member  # type: ignore[no-any-return]
        raise ValueError(f"{value!r} is not a valid {cls.__name__}")

    @property
    def value(self) -> str:
        return str.__str__(self)

    @property
    def name(self) -> str:
        return self._names[self.value]  # type: ignore[attr-defined, no-any-return]

    def __repr__(self) -> str:
        return f"<{self.__class__.__name__}.{self.name}: {self.value!r}>"

    def __str__(self) -> str:
        return self.value

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__.lookup, (self.value,))
