"""``@record``: a frozen, slotted dataclass without the start-up cost of :mod:`dataclasses`.

``dataclasses`` imports :mod:`inspect` (with ``ast``, ``dis``, ``tokenize``) and compiles six
methods per class with ``exec``: about 1 ms per class, ~40 ms of every cold ``claude-models
resolve`` for the ~30 value types on that path, more than the interpreter's own start-up. A
``record`` class behaves like ``@dataclass(frozen=True, slots=True)`` for everything this
package uses (keyword or positional construction, defaults, ``default_factory`` via
:func:`field`, ``repr``, ``==``, ``hash``, immutability, :func:`replace`), its methods are
shared functions instead of generated code, and type checkers see it as a dataclass through
:pep:`681` ``dataclass_transform``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar, dataclass_transform

T = TypeVar("T")


class FrozenInstanceError(AttributeError):
    """Assignment to a field of a record (same meaning as ``dataclasses.FrozenInstanceError``)."""


class _Factory:
    __slots__ = ("factory",)

    def __init__(self, factory: Callable[[], Any]) -> None:
        self.factory = factory


_NO_DEFAULT: Any = object()


def field(
    *,
    default: Any = _NO_DEFAULT,
    default_factory: Callable[[], Any] | None = None,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
) -> Any:
    """A field with a default factory (the only ``dataclasses.field`` option records need;
    ``repr``/``compare``/``hash``/``init`` are accepted and honoured as "leave it out")."""
    return _FieldSpec(default, default_factory, init, repr, compare)


class _FieldSpec:
    __slots__ = ("compare", "default", "default_factory", "init", "repr")

    def __init__(
        self,
        default: Any,
        default_factory: Callable[[], Any] | None,
        init: bool,
        repr: bool,
        compare: bool,
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, slotted record of its annotated fields (in order)."""
    own = cls.__dict__
    names: list[str] = []
    defaults: dict[str, Any] = {}
    hidden_repr: set[str] = set()
    no_compare: set[str] = set()
    no_init: set[str] = set()
    for name, ann in own.get("__annotations__", {}).items():
        if isinstance(ann, str) and ann.startswith("ClassVar"):
            continue
        names.append(name)
        if name in own:
            value = own[name]
            if isinstance(value, _FieldSpec):
                if value.default_factory is not None:
                    defaults[name] = _Factory(value.default_factory)
                elif value.default is not _NO_DEFAULT:
                    defaults[name] = value.default
                if not value.repr:
                    hidden_repr.add(name)
                if not value.compare:
                    no_compare.add(name)
                if not value.init:
                    no_init.add(name)
            else:
                defaults[name] = value
    fields = tuple(names)
    init_names = tuple(n for n in fields if n not in no_init)
    compared = tuple(n for n in fields if n not in no_compare)
    shown = tuple(n for n in fields if n not in hidden_repr)
    # (name, default, is_factory) per init field; _NO_DEFAULT marks a required one.
    plan = tuple(
        (n, d.factory if isinstance(d, _Factory) else d, isinstance(d, _Factory))
        for n in init_names
        for d in (defaults.get(n, _NO_DEFAULT),)
    )
    derived = tuple(  # fields left out of __init__ take their default
        (n, defaults[n]) for n in fields if n in no_init and n in defaults
    )
    post_init = getattr(cls, "__post_init__", None)
    setobj = object.__setattr__

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        if args:
            if len(args) > len(init_names):
                raise TypeError(f"{cls.__name__}() takes {len(init_names)} positional arguments")
            for name, value in zip(init_names, args, strict=False):
                if name in kwargs:
                    raise TypeError(f"{cls.__name__}() got multiple values for {name!r}")
                kwargs[name] = value
        for name, default, is_factory in plan:
            if name in kwargs:
                setobj(self, name, kwargs.pop(name))
            elif default is _NO_DEFAULT:
                raise TypeError(f"{cls.__name__}() missing required argument {name!r}")
            else:
                setobj(self, name, default() if is_factory else default)
        if kwargs:
            raise TypeError(f"{cls.__name__}() got unexpected arguments: {sorted(kwargs)}")
        for name, d in derived:
            setobj(self, name, d.factory() if isinstance(d, _Factory) else d)
        if post_init is not None:
            post_init(self)

    def __repr__(self: Any) -> str:  # noqa: N807
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{cls.__qualname__}({inner})"

    def _key(self: Any) -> tuple[Any, ...]:
        return tuple(getattr(self, n) for n in compared)

    def __eq__(self: Any, other: object) -> bool:  # noqa: N807
        if other.__class__ is not self.__class__:
            return NotImplemented
        return bool(_key(self) == _key(other))

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash((cls.__qualname__, *_key(self)))

    ns = {k: v for k, v in own.items() if k not in fields and k not in ("__dict__", "__weakref__")}
    ns.update(
        __slots__=fields,
        __init__=__init__,
        __repr__=__repr__,
        __eq__=__eq__,
        __hash__=__hash__,
        __setattr__=_frozen_setattr,
        __delattr__=_frozen_delattr,
        __record_fields__=fields,
        __record_init__=init_names,
        __match_args__=init_names,
    )
    meta: Any = type(cls)
    new: type[T] = meta(cls.__name__, cls.__bases__, ns)
    new.__qualname__ = cls.__qualname__
    return new


def replace(obj: T, **changes: Any) -> T:
    """A copy of record ``obj`` with ``changes`` applied (``dataclasses.replace``)."""
    values = {n: getattr(obj, n) for n in type(obj).__record_init__}  # type: ignore[attr-defined]
    values.update(changes)
    return type(obj)(**values)


def asdict(obj: object) -> dict[str, Any]:
    """Record ``obj``'s fields as a dict (shallow: nested records stay records)."""
    return {n: getattr(obj, n) for n in type(obj).__record_fields__}  # type: ignore[attr-defined]


__all__ = ["FrozenInstanceError", "asdict", "field", "record", "replace"]
