"""Immutable records and named choices, without dataclasses' or enum's import cost.

The project's one value-type rule: value types are dataclasses and enums,
except on the ``gen`` path (a cache hit and a cache miss: targets, pythons,
the .def parser and writer, api's Producer and GeneratedLibrary, the cache
lookup), where ``import dataclasses`` (~17 ms, it imports inspect) and
``import enum`` (~4 ms) would cost more than a whole cache hit. There, and
only there, value types are a :class:`Record` (a frozen data class: its
fields are its annotations, its ``__init__`` is generated from them) or a
:class:`Choice` (a str Enum). The drop-in dlltool and lib, which rustc runs
once per DLL, and a repeated ``implib sdk`` (its stamp) share this rule.
tests/cli/test_fast.py guards the imports of a hit and a miss.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar, TypeVar

    from typing_extensions import dataclass_transform

    C = TypeVar("C", bound="Choice")
else:

    def dataclass_transform(**kwargs):  # what type checkers read: Record makes data classes
        return lambda cls: cls


__all__ = ["Choice", "Record"]

_MISSING = object()


@dataclass_transform(frozen_default=True)
class Record:
    """An immutable value, as a ``@dataclass(frozen=True)`` would make it.

    A subclass annotates its fields (a class attribute gives a default);
    this class writes its ``__init__`` (positional or keyword, in the order
    of the annotations), equality, hash, repr, pickling and ``_replace``.
    """

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        fields: dict[str, None] = {}
        for klass in reversed(cls.__mro__):
            for name, annotation in vars(klass).get("__annotations__", {}).items():
                if not str(annotation).startswith(("ClassVar", "typing.ClassVar")):
                    fields[name] = None
        cls._fields = tuple(fields)
        defaults = [hasattr(cls, name) for name in cls._fields]
        if True in defaults and False in defaults[defaults.index(True) :]:
            raise TypeError(f"{cls.__name__}: a field without a default follows a default")
        if "__init__" not in vars(cls):
            cls.__init__ = _first_init  # type: ignore[method-assign, assignment]

    @classmethod
    def _make_init(cls) -> Any:
        """The class's ``__init__``, written from its fields (at its first instance: a
        class that is imported but never made costs no compile on ``gen``'s path)."""
        params: list[str] = []
        defaults: dict[str, Any] = {}
        for name in cls._fields:
            default = getattr(cls, name, _MISSING)
            if default is not _MISSING:
                defaults[f"_{name}"] = default
                params.append(f"{name}=_{name}")
            else:
                params.append(name)
        body = "".join(f"\n    d[{name!r}] = {name}" for name in cls._fields) or "\n    pass"
        source = f"def __init__(self, {', '.join(params)}):\n    d = self.__dict__{body}"
        exec(source, defaults)  # the text is made of the class's own field names
        init: Any = defaults["__init__"]
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        cls.__init__ = init  # type: ignore[method-assign]
        return init

    def _values(self) -> tuple[Any, ...]:
        d = self.__dict__
        return tuple([d[name] for name in self._fields])

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash((self.__class__.__name__, *self._values()))

    def __repr__(self) -> str:
        fields = ", ".join(f"{name}={value!r}" for name, value in zip(self._fields, self._values()))
        return f"{self.__class__.__name__}({fields})"

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{self.__class__.__name__} is immutable: cannot set {name!r}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"{self.__class__.__name__} is immutable: cannot delete {name!r}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (self.__class__, self._values())

    def _replace(self, **changes: Any) -> Any:
        """A copy with some fields changed (``dataclasses.replace``)."""
        return self.__class__(**{**self._asdict(), **changes})

    __replace__ = _replace

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self._values()))


def _first_init(self: Record, *args: Any, **kwargs: Any) -> None:
    self.__class__._make_init()(self, *args, **kwargs)


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
