"""``@record``: a frozen, slotted dataclass without the start-up cost of :mod:`dataclasses`.

``dataclasses`` imports :mod:`inspect` (with ``ast``, ``dis``, ``tokenize``) and compiles six
methods per class with ``exec``: about 1 ms per class, ~40 ms of every cold ``claude-models
resolve`` for the ~30 value types on that path, more than the interpreter's own start-up. A
``record`` class means exactly what ``@dataclass(frozen=True, slots=True)`` means (keyword or
positional construction, defaults, ``default_factory`` via :func:`field`, ``init``/``repr``/
``compare``/``hash`` per field, ``__post_init__``, ``repr``, ``==``, ``hash``, immutability,
``__match_args__``, :func:`replace`, :func:`asdict`, ``copy``/``deepcopy``/``pickle``,
``inspect.signature`` and ``help()``), its methods are shared functions instead of generated
code, and type checkers see it as a dataclass through :pep:`681` ``dataclass_transform``.

What ``dataclasses`` would accept but a record refuses, at decoration time: a decorated class
whose bases carry fields (records and dataclasses do not inherit fields here: ``TypeError``) and
``InitVar`` fields. What both refuse with the same exceptions: a mutable default (``list``,
``dict``, ``set``, anything unhashable: ``ValueError``), a required field after one with a
default (``TypeError``), ``default`` together with ``default_factory`` (``ValueError``).

Test-only switch: with ``CLAUDE_MODELS_RECORD=dataclasses`` in the environment when this module
is first imported, ``record``, ``field``, ``replace``, ``asdict`` and ``FrozenInstanceError``
are the :mod:`dataclasses` ones (``record`` is ``dataclass(frozen=True, slots=True)``). CI runs
the whole suite a second time that way (``.ci/run``), so the two can never differ in meaning.
Any other value, or none, selects ``record``. Not a user setting: it only costs start-up time.
"""

from __future__ import annotations

import os
from collections.abc import Callable

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, TypeVar, dataclass_transform

    T = TypeVar("T")

#: ``"dataclasses"`` when the test-only switch is on, else ``"record"``.
BACKEND = "dataclasses" if os.environ.get("CLAUDE_MODELS_RECORD") == "dataclasses" else "record"


class _FieldSpec:
    __slots__ = ("compare", "default", "default_factory", "hash", "init", "repr")

    def __init__(
        self,
        *,
        default: Any,
        default_factory: Callable[[], Any] | None,
        init: bool,
        repr: bool,
        compare: bool,
        hash: bool | None,
    ) -> None:
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.hash = hash


_NO_DEFAULT: Any = object()


class _FactoryMarker:
    """Shown for a ``default_factory`` default in signatures, as ``dataclasses`` shows it."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<factory>"


_FACTORY = _FactoryMarker()


def _field(
    *,
    default: Any = _NO_DEFAULT,
    default_factory: Callable[[], Any] | None = None,
    init: bool = True,
    repr: bool = True,
    compare: bool = True,
    hash: bool | None = None,
) -> Any:
    """A field specification, as ``dataclasses.field`` (same options, same meaning)."""
    if default is not _NO_DEFAULT and default_factory is not None:
        raise ValueError("cannot specify both default and default_factory")
    return _FieldSpec(
        default=default,
        default_factory=default_factory,
        init=init,
        repr=repr,
        compare=compare,
        hash=hash,
    )


def _frozen_setattr(self: object, name: str, value: object) -> None:
    raise FrozenInstanceError(f"cannot assign to field {name!r}")


def _frozen_delattr(self: object, name: str) -> None:
    raise FrozenInstanceError(f"cannot delete field {name!r}")


def _getstate(self: Any) -> list[Any]:
    # Slots and a frozen __setattr__: the default protocol would call setattr and fail.
    return [getattr(self, n) for n in type(self).__record_fields__]


def _setstate(self: Any, state: list[Any]) -> None:
    for name, value in zip(type(self).__record_fields__, state, strict=True):
        object.__setattr__(self, name, value)


class _LazySignature:
    """``cls.__signature__``, built on first use so that importing needs no :mod:`inspect`."""

    __slots__ = ("cache",)

    def __init__(self) -> None:
        self.cache: dict[type, Any] = {}

    def __get__(self, obj: object, owner: type) -> Any:
        sig = self.cache.get(owner)
        if sig is None:
            sig = self.cache[owner] = _signature(owner)
        return sig


class _InitSignature:
    """Behind a record's ``__init__.__wrapped__``: :func:`inspect.signature` follows it and
    reads this ``__signature__`` (``self`` and the fields), built on first use."""

    __slots__ = ("cls", "sig")

    def __init__(self, cls: type) -> None:
        self.cls = cls
        self.sig: Any = None

    @property
    def __signature__(self) -> Any:
        if self.sig is None:
            import inspect  # lazy, as above

            of_cls = self.cls.__signature__  # type: ignore[attr-defined]
            me = inspect.Parameter("self", inspect.Parameter.POSITIONAL_OR_KEYWORD)
            self.sig = of_cls.replace(parameters=[me, *of_cls.parameters.values()])
        return self.sig


class _LazyDoc:
    """A docstring ``Name(field: type = default, ...)`` for a record without one (as
    ``dataclasses`` writes it), built on first use."""

    __slots__ = ()

    def __get__(self, obj: object, owner: type) -> str:
        return owner.__name__ + str(owner.__signature__).replace(" -> None", "")  # type: ignore[attr-defined]


def _signature(cls: type) -> Any:
    import inspect  # lazy: the point of this module

    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    annotations = cls.__record_annotations__  # type: ignore[attr-defined]
    params = [
        inspect.Parameter(
            name,
            kind,
            default=inspect.Parameter.empty if default is _NO_DEFAULT else default,
            annotation=annotations.get(name, inspect.Parameter.empty),
        )
        for name, default in cls.__record_signature__  # type: ignore[attr-defined]
    ]
    return inspect.Signature(params, return_annotation=None)


_CLASSVAR_PREFIXES: tuple[str, ...] = ("ClassVar", "typing.ClassVar", "t.ClassVar")
_INITVAR_PREFIXES: tuple[str, ...] = ("InitVar", "dataclasses.InitVar")


def _is_classvar(ann: Any) -> bool:
    if isinstance(ann, str):
        return ann.startswith(_CLASSVAR_PREFIXES)
    # An evaluated annotation (a class without ``from __future__ import annotations``): its
    # module imported typing to write ClassVar, so importing it here costs nothing.
    from typing import ClassVar, get_origin

    return ann is ClassVar or get_origin(ann) is ClassVar


def _record(cls: type[T]) -> type[T]:
    """Make ``cls`` a frozen, slotted record of its annotated fields (in order)."""
    for base in cls.__mro__[1:]:
        inherited = getattr(base, "__record_fields__", None) or getattr(
            base, "__dataclass_fields__", None
        )
        if inherited:
            raise TypeError(
                f"@record class {cls.__qualname__} inherits fields from {base.__qualname__}: "
                "records do not inherit fields; declare them all on one class"
            )
    own = cls.__dict__
    annotations: dict[str, Any] = own.get("__annotations__", {})
    names: list[str] = []
    defaults: dict[str, Any] = {}
    factories: set[str] = set()
    hidden_repr: set[str] = set()
    no_compare: set[str] = set()
    hashed: list[str] = []
    no_init: set[str] = set()
    for name, ann in annotations.items():
        if isinstance(ann, str):  # the usual case (``from __future__ import annotations``)
            if ann.startswith(_CLASSVAR_PREFIXES):
                continue
            if ann.startswith(_INITVAR_PREFIXES):
                raise TypeError(f"@record class {cls.__qualname__}: InitVar field {name!r}")
        elif _is_classvar(ann):
            continue
        elif type(ann).__name__ == "InitVar":
            raise TypeError(f"@record class {cls.__qualname__}: InitVar field {name!r}")
        names.append(name)
        spec = own.get(name, _NO_DEFAULT)
        if not isinstance(spec, _FieldSpec):  # a plain field: no field() options to read
            if spec is not _NO_DEFAULT:
                if type(spec).__hash__ is None:  # the test dataclasses applies
                    raise ValueError(
                        f"mutable default {type(spec)} for field {name} is not allowed: "
                        "use default_factory"
                    )
                defaults[name] = spec
            hashed.append(name)
            continue
        if spec.default_factory is not None:
            defaults[name] = spec.default_factory
            factories.add(name)
        elif spec.default is not _NO_DEFAULT:
            if type(spec.default).__hash__ is None:  # the test dataclasses applies
                raise ValueError(
                    f"mutable default {type(spec.default)} for field {name} is not allowed: "
                    "use default_factory"
                )
            defaults[name] = spec.default
        if not spec.repr:
            hidden_repr.add(name)
        if not spec.compare:
            no_compare.add(name)
        if spec.hash if spec.hash is not None else spec.compare:
            hashed.append(name)
        if not spec.init:
            no_init.add(name)
    fields = tuple(names)
    init_names = tuple(n for n in fields if n not in no_init)
    seen_default = False
    for n in init_names:
        if n in defaults:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {n!r} follows default argument")
    compared = tuple(n for n in fields if n not in no_compare)
    hash_names = tuple(hashed)
    shown = tuple(n for n in fields if n not in hidden_repr)
    # (name, default, is_factory) per init field; _NO_DEFAULT marks a required one.
    plan = tuple((n, defaults.get(n, _NO_DEFAULT), n in factories) for n in init_names)
    derived = tuple(  # fields left out of __init__ take their default
        (n, defaults[n], n in factories) for n in fields if n in no_init and n in defaults
    )
    post_init = getattr(cls, "__post_init__", None)
    setobj = object.__setattr__
    qualname = cls.__qualname__
    calls = 0

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # noqa: N807
        nonlocal calls
        calls += 1
        if calls == COMPILE_AFTER:  # a hot class: from now on, a compiled __init__
            _install_compiled_init(type(self), __init__, plan, derived, post_init)
        if args:
            if len(args) > len(init_names):
                raise TypeError(
                    f"{qualname}.__init__() takes {len(init_names) + 1} positional arguments "
                    f"but {len(args) + 1} were given"
                )
            for name, value in zip(init_names, args, strict=False):
                if name in kwargs:
                    raise TypeError(
                        f"{qualname}.__init__() got multiple values for argument {name!r}"
                    )
                kwargs[name] = value
        for name, default, is_factory in plan:
            if name in kwargs:
                setobj(self, name, kwargs.pop(name))
            elif default is _NO_DEFAULT:
                raise TypeError(
                    f"{qualname}.__init__() missing 1 required positional argument: {name!r}"
                )
            else:
                setobj(self, name, default() if is_factory else default)
        if kwargs:
            raise TypeError(
                f"{qualname}.__init__() got an unexpected keyword argument {next(iter(kwargs))!r}"
            )
        for name, default, is_factory in derived:
            setobj(self, name, default() if is_factory else default)
        if post_init is not None:
            post_init(self)

    def __repr__(self: Any) -> str:  # noqa: N807
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in shown)
        return f"{type(self).__qualname__}({inner})"

    def __eq__(self: Any, other: object) -> bool:  # noqa: N807
        if other.__class__ is not self.__class__:
            return NotImplemented
        return tuple(getattr(self, n) for n in compared) == tuple(
            getattr(other, n) for n in compared
        )

    def __hash__(self: Any) -> int:  # noqa: N807
        return hash(tuple(getattr(self, n) for n in hash_names))

    __init__.__qualname__ = f"{qualname}.__init__"
    __repr__.__qualname__ = f"{qualname}.__repr__"
    __eq__.__qualname__ = f"{qualname}.__eq__"
    __hash__.__qualname__ = f"{qualname}.__hash__"

    for name in ("__setattr__", "__delattr__"):
        if name in own:  # as dataclasses: a frozen class cannot bring its own
            raise TypeError(f"Cannot overwrite attribute {name} in class {cls.__name__}")
    ns = {k: v for k, v in own.items() if k not in fields and k not in ("__dict__", "__weakref__")}
    generated: dict[str, Any] = {
        "__init__": __init__,
        "__repr__": __repr__,
        "__eq__": __eq__,
        "__match_args__": init_names,
        "__getstate__": _getstate,
        "__setstate__": _setstate,
    }
    # As dataclasses: what the class defines itself wins (a __repr__ that masks a secret stays).
    ns.update({k: v for k, v in generated.items() if k not in own})
    # __hash__: Python sets it to None in a class body that defines __eq__ alone; only a
    # __hash__ written in the class is its own (dataclasses' "has_explicit_hash").
    if own.get("__hash__", None) is None:
        ns["__hash__"] = __hash__
    ns.update(
        __slots__=fields,
        __setattr__=_frozen_setattr,
        __delattr__=_frozen_delattr,
        __record_fields__=fields,
        __record_init__=init_names,
        __record_annotations__=annotations,
        __record_signature__=tuple(
            (n, _FACTORY if n in factories else defaults.get(n, _NO_DEFAULT)) for n in init_names
        ),
    )
    if "__init__" not in own:  # else inspect reads the class's own __init__
        ns["__signature__"] = _LazySignature()
    if ns.get("__doc__") is None:
        ns["__doc__"] = _LazyDoc()
    meta: Any = type(cls)
    new: type[T] = meta(cls.__name__, cls.__bases__, ns)
    new.__qualname__ = qualname
    if "__init__" not in own:  # help() lists __init__ with its real parameters too
        __init__.__wrapped__ = _InitSignature(new)  # type: ignore[attr-defined]
    return new


#: A record class gets an ``__init__`` compiled for its fields (what ``dataclasses`` writes for
#: every class at decoration) once this many instances have been built: a hot loop gets
#: dataclass speed (~4x the generic loop over fields), and a cold ``claude-models resolve``
#: (at most 24 instances of a class: the catalog's models) compiles nothing, since a
#: process's first ``compile()`` costs ~6 ms, more than the generic ``__init__`` loses in a
#: whole cold run. Both mean exactly the same (tests/test_record.py runs each).
COMPILE_AFTER = 64


#: A compiled ``__init__`` sets the fields of a record with at least this many through its
#: mutable twin (two ``__class__`` assignments, then the interpreter's own slot stores): from
#: five fields on, that costs fewer instructions than a descriptor call per field (measured
#: with valgrind: 8 fields 7.4k -> 5.3k instructions a construction, 2 fields 3.2k -> 4.3k).
SWAP_FROM = 5

_SET_CLASS: Callable[[object, type], None] = object.__dict__["__class__"].__set__


def _mutable_twin(owner: type, names: list[str]) -> type | None:
    """A plain class with ``owner``'s slots (``names``, the record's fields, in order), whose
    instances' ``__class__`` CPython lets be switched to ``owner`` and back; ``None`` when it
    does not (an interpreter that refuses it) or might not (a base other than ``object``)."""
    if owner.__bases__ != (object,) or tuple(owner.__dict__.get("__slots__", ())) != tuple(names):
        return None  # (another base: making a class of it could run its __init_subclass__)
    twin = type(
        owner.__name__, (object,), {"__slots__": tuple(names), "__module__": owner.__module__}
    )
    try:
        probe: Any = object.__new__(owner)
        _SET_CLASS(probe, twin)
        _SET_CLASS(probe, owner)
    except TypeError:
        return None
    return twin


def _install_compiled_init(
    cls: type,
    generic: Any,
    plan: tuple[tuple[str, Any, bool], ...],
    derived: tuple[tuple[str, Any, bool], ...],
    post_init: Callable[[Any], None] | None,
) -> None:
    """Replace ``cls``'s generic ``__init__`` with one compiled for its fields (same
    parameters, defaults, factories, errors, ``__post_init__``)."""
    owner = next((c for c in cls.__mro__ if c.__dict__.get("__init__") is generic), None)
    names = [n for n, _, _ in plan] + [n for n, _, _ in derived]
    if owner is None or any(n == "self" or n.startswith("_rec_") for n in names):
        return  # keep the generic one (a name the generated code needs for itself)
    ns: dict[str, Any] = {"_rec_FACTORY": _FACTORY}
    params = ["self"]
    body: list[str] = []
    sets: list[tuple[str, str]] = []  # (the descriptor's setter, the value), in field order
    for i, (name, default, is_factory) in enumerate(plan):
        ns[f"_rec_set{i}"] = owner.__dict__[name].__set__
        if default is _NO_DEFAULT:
            params.append(name)
        elif is_factory:
            ns[f"_rec_d{i}"] = default
            params.append(f"{name}=_rec_FACTORY")
            body.append(f"    if {name} is _rec_FACTORY:\n        {name} = _rec_d{i}()")
        else:
            ns[f"_rec_d{i}"] = default
            params.append(f"{name}=_rec_d{i}")
        sets.append((f"_rec_set{i}", name))
    for j, (name, default, is_factory) in enumerate(derived):
        ns[f"_rec_dset{j}"] = owner.__dict__[name].__set__
        ns[f"_rec_dd{j}"] = default
        sets.append((f"_rec_dset{j}", f"_rec_dd{j}{'()' if is_factory else ''}"))
    mutable = _mutable_twin(owner, names) if len(sets) >= SWAP_FROM else None
    if mutable is None:
        body += [f"    {setter}(self, {value})" for setter, value in sets]
    else:
        # A frozen record's slots can only be set through their descriptors (~0.1 us each);
        # a plain slotted class sets them with the interpreter's own store (~0.02 us). So the
        # instance is, while its fields are set, of the record's mutable twin (the same
        # slots in the same order: CPython allows the __class__ assignment), then of the
        # record again before anything else can see it. A subclass instance (another
        # layout) sets its slots through the descriptors.
        ns.update(_rec_owner=owner, _rec_mutable=mutable, _rec_class=_SET_CLASS)
        body.append("    if type(self) is _rec_owner:")
        body.append("        _rec_class(self, _rec_mutable)")
        body += [
            f"        self.{name} = {value}" for name, (_, value) in zip(names, sets, strict=True)
        ]
        body.append("        _rec_class(self, _rec_owner)")
        body.append("    else:")
        body += [f"        {setter}(self, {value})" for setter, value in sets]
    if post_init is not None:
        ns["_rec_post"] = post_init
        body.append("    _rec_post(self)")
    src = f"def __init__({', '.join(params)}):\n" + ("\n".join(body) or "    pass") + "\n"
    exec(compile(src, f"<record {owner.__qualname__}.__init__>", "exec"), ns)  # noqa: S102
    init = ns["__init__"]
    init.__qualname__ = generic.__qualname__
    init.__code__ = init.__code__.replace(co_qualname=generic.__qualname__)
    init.__module__ = generic.__module__
    init.__doc__ = generic.__doc__
    wrapped = getattr(generic, "__wrapped__", None)
    if wrapped is not None:
        init.__wrapped__ = wrapped
    owner.__init__ = init  # type: ignore[misc]


class Deferred:
    """A field value not computed yet: the field of a :func:`lazy` record holds one until it
    is first read, which calls ``compute()`` once and keeps the result in the field."""

    __slots__ = ("compute",)

    def __init__(self, compute: Callable[[], Any]) -> None:
        self.compute = compute

    def __repr__(self) -> str:
        return "<deferred>"


def deferred(compute: Callable[[], T]) -> T:
    """``compute`` as the value of a :func:`lazy` field (typed as what reading it gives)."""
    return Deferred(compute)  # type: ignore[return-value]  # reads as its value (lazy)


class _LazySlot:
    """A field's slot that turns a :class:`Deferred` into its value on first read."""

    __slots__ = ("name", "slot")

    def __init__(self, slot: Any, name: str) -> None:
        self.slot = slot
        self.name = name

    def __get__(self, obj: object, owner: type | None = None) -> Any:
        if obj is None:
            return self
        value = self.slot.__get__(obj, owner)
        if type(value) is Deferred:
            # Two threads may both compute it: it is a pure function of a frozen value, so
            # both get equal results and either may stay.
            value = value.compute()
            self.slot.__set__(obj, value)
        return value

    def __set__(self, obj: object, value: Any) -> None:
        self.slot.__set__(obj, value)

    def __delete__(self, obj: object) -> None:
        self.slot.__delete__(obj)


def lazy(*names: str) -> Callable[[type[T]], type[T]]:
    """Let the fields ``names`` of a record (or frozen slotted dataclass) class be given as a
    :class:`Deferred`: computed on first read, then kept. Every reader sees the value: the
    field itself, ``==``, ``hash``, ``repr``, ``replace``, ``asdict``, ``copy``, ``pickle``
    (all read fields by attribute), so a lazy field means exactly what an eager one does."""

    def wrap(cls: type[T]) -> type[T]:
        for name in names:
            slot = cls.__dict__.get(name)
            if slot is None or not hasattr(slot, "__set__"):
                raise TypeError(f"lazy({name!r}): {cls.__qualname__} has no slotted field {name}")
            setattr(cls, name, _LazySlot(slot, name))
        cls.__lazy_fields__ = names  # type: ignore[attr-defined]
        return cls

    return wrap


def _replace(obj: T, /, **changes: Any) -> T:
    """A copy of record ``obj`` with ``changes`` applied (``dataclasses.replace``)."""
    cls = type(obj)
    init_names = getattr(cls, "__record_init__", None)
    if init_names is None:
        raise TypeError("replace() should be called on dataclass instances")
    for name in changes:
        if name not in init_names:
            if name in cls.__record_fields__:  # type: ignore[attr-defined]
                raise ValueError(
                    f"field {name} is declared with init=False, it cannot be specified with "
                    "replace()"
                )
            raise TypeError(
                f"{cls.__qualname__}.__init__() got an unexpected keyword argument {name!r}"
            )
    values = {n: getattr(obj, n) for n in init_names if n not in changes}
    values.update(changes)
    return cls(**values)


def _asdict(obj: object) -> dict[str, Any]:
    """Record ``obj``'s fields as a dict, recursing into records, lists, tuples and dicts and
    deep-copying everything else (``dataclasses.asdict``)."""
    if not hasattr(type(obj), "__record_fields__"):
        raise TypeError("asdict() should be called on dataclass instances")
    return _asdict_inner(obj)  # type: ignore[no-any-return]


def _asdict_inner(obj: Any) -> Any:
    cls = type(obj)
    names = getattr(cls, "__record_fields__", None)
    if names is not None:
        return {n: _asdict_inner(getattr(obj, n)) for n in names}
    if isinstance(obj, tuple) and hasattr(obj, "_fields"):  # a namedtuple
        return cls(*[_asdict_inner(v) for v in obj])
    if isinstance(obj, list | tuple):
        return cls(_asdict_inner(v) for v in obj)
    if isinstance(obj, dict):
        from collections import defaultdict  # lazy, as below

        if isinstance(obj, defaultdict):
            result = cls(obj.default_factory)
            for k, v in obj.items():
                result[_asdict_inner(k)] = _asdict_inner(v)
            return result
        return cls((_asdict_inner(k), _asdict_inner(v)) for k, v in obj.items())
    import copy  # lazy: only `validate --json` needs it

    return copy.deepcopy(obj)


if TYPE_CHECKING:
    # Type checkers see the record functions as what they mean: mypy checks the field names
    # and types given to ``replace`` (its dataclasses plugin), and ``record`` is a transform.
    from dataclasses import FrozenInstanceError, asdict, field, replace

    @dataclass_transform(frozen_default=True, field_specifiers=(field,))
    def record(cls: type[T]) -> type[T]: ...

elif BACKEND == "dataclasses":
    import dataclasses

    FrozenInstanceError = dataclasses.FrozenInstanceError
    asdict = dataclasses.asdict
    field = dataclasses.field
    replace = dataclasses.replace

    def record(cls: type[T]) -> type[T]:
        """``@dataclass(frozen=True, slots=True)`` (the test-only switch is on)."""
        return dataclasses.dataclass(frozen=True, slots=True)(cls)

else:

    class FrozenInstanceError(AttributeError):
        """Assignment to a field of a record (as ``dataclasses.FrozenInstanceError``)."""

    asdict = _asdict
    field = _field
    replace = _replace
    record = _record
    for _f, _name in ((_asdict, "asdict"), (_field, "field"), (_replace, "replace")):
        _f.__name__ = _f.__qualname__ = _name
    record.__name__ = record.__qualname__ = "record"


__all__ = [
    "BACKEND",
    "Deferred",
    "FrozenInstanceError",
    "asdict",
    "deferred",
    "field",
    "lazy",
    "record",
    "replace",
]
