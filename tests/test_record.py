"""``@record`` means what ``@dataclass(frozen=True, slots=True)`` means.

Every test here passes with either backend: CI runs this file (and the whole suite) a second
time with ``CLAUDE_MODELS_RECORD=dataclasses``, where ``record``/``field``/``replace``/``asdict``
are the :mod:`dataclasses` ones. The one difference, records refusing field inheritance, is
skipped under that backend and says so.
"""

from __future__ import annotations

import copy
import dataclasses
import inspect
import os
import pickle
import pydoc
import subprocess
import sys
from collections.abc import Callable
from typing import Any, ClassVar

import pytest

from claude_models import _record
from claude_models._record import (
    BACKEND,
    FrozenInstanceError,
    asdict,
    deferred,
    field,
    lazy,
    record,
    replace,
)
from claude_models.snapshot import Flags, Snapshot


@record
class Point:
    """A point."""

    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)
    origin: ClassVar[str] = "O"

    @property
    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)


@record
class Line:
    start: Point
    end: Point
    label: str | None = None
    weight: float = field(default=1.0, hash=False)


@record
class Weighted:
    name: str
    weight: float = field(default=1.0, hash=False)


def test_the_backend_is_the_one_the_environment_asks_for() -> None:
    wanted = os.environ.get("CLAUDE_MODELS_RECORD") == "dataclasses"
    assert _record.BACKEND == "dataclasses" if wanted else _record.BACKEND == "record"
    assert dataclasses.is_dataclass(Point) is wanted


def test_construction_positional_keyword_defaults() -> None:
    assert Point(1, 2) == Point(x=1, y=2)
    p = Point(3)
    assert (p.x, p.y, p.tags, p.cache, p.norm1) == (3, 0, [], {}, 3)
    assert Point(1).tags is not Point(1).tags  # a fresh default per instance
    assert Point(1).cache is not Point(1).cache  # init=False fields get theirs too
    assert Point.origin == "O" and "origin" not in Point.__match_args__


def test_frozen_and_slotted() -> None:
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del p.x
    assert not hasattr(p, "__dict__")
    assert vars(Point)["__slots__"] == ("x", "y", "tags", "cache")
    assert Point.__match_args__ == ("x", "y", "tags")


def test_repr_eq_hash_leave_out_what_they_should() -> None:
    a, b = Point(1, 2, ["t"]), Point(1, 2, ["t"])
    a.cache["k"] = 1
    assert a == b
    assert repr(a) == "Point(x=1, y=2, tags=['t'])"
    assert Point(1) != Point(2)
    assert Point(1).__eq__((1, 0, [])) is NotImplemented
    # hash=False: compared but not hashed, exactly as dataclasses does it
    assert Weighted("a", 1.0) != Weighted("a", 2.0)
    assert hash(Weighted("a", 1.0)) == hash(Weighted("a", 2.0)) == hash(("a",))


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, r"missing 1 required positional argument: 'x'"),
        ((1, 2, [], 4), {}, r"takes .*positional arguments but 5 were given"),
        ((1,), {"x": 2}, r"got multiple values for argument 'x'"),
        ((1,), {"z": 2}, r"got an unexpected keyword argument 'z'"),
        ((1,), {"cache": {}}, r"got an unexpected keyword argument 'cache'"),
    ],
)
def test_bad_construction(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=rf"^Point\.__init__\(\) {message}"):
        Point(*args, **kwargs)


def test_replace_keeps_what_is_not_changed_and_resets_init_false_fields() -> None:
    p = Point(1, 2, ["t"])
    p.cache["k"] = 1
    q = replace(p, y=5)
    assert q == Point(1, 5, ["t"]) and type(q) is Point
    assert q.tags is p.tags  # shallow, as dataclasses.replace
    assert q.cache == {}  # init=False: a fresh default, not the old value


def test_replace_refuses_what_dataclasses_refuses() -> None:
    # The ignores are load-bearing: mypy (strict, warn_unused_ignores, run by test_tooling)
    # fails if replace() stops checking field names and types.
    with pytest.raises(TypeError, match="unexpected keyword argument 'z'"):
        replace(Point(1), z=3)  # type: ignore[call-arg]
    with pytest.raises(ValueError, match="field cache is declared with init=False"):
        replace(Point(1), cache={})
    with pytest.raises(TypeError, match="should be called on dataclass instances"):
        replace((1, 2), x=3)  # type: ignore[type-var]
    replace(Point(1), y="5")  # type: ignore[arg-type]  # not checked at run time by either


def test_asdict_recurses_and_copies() -> None:
    line = Line(Point(1, tags=["a"]), Point(2), label="l")
    d = asdict(line)
    assert d == {
        "start": {"x": 1, "y": 0, "tags": ["a"], "cache": {}},
        "end": {"x": 2, "y": 0, "tags": [], "cache": {}},
        "label": "l",
        "weight": 1.0,
    }
    assert d["start"]["tags"] is not line.start.tags
    with pytest.raises(TypeError, match="should be called on dataclass instances"):
        asdict((1, 2))  # type: ignore[call-overload]


def _pickled(protocol: int) -> Callable[[Any], Any]:
    return lambda obj: pickle.loads(pickle.dumps(obj, protocol=protocol))  # noqa: S301  (own objects)


COPIES: list[tuple[str, Callable[[Any], Any]]] = [
    ("copy", copy.copy),
    ("deepcopy", copy.deepcopy),
    *((f"pickle{p}", _pickled(p)) for p in range(pickle.HIGHEST_PROTOCOL + 1)),
]


@pytest.mark.parametrize(("how", "dup"), COPIES, ids=[c[0] for c in COPIES])
def test_copy_deepcopy_and_pickle_keep_every_field(how: str, dup: Callable[[Any], Any]) -> None:
    p = Point(1, 2, ["t"])
    p.cache["memo"] = 42  # an init=False field, like Snapshot._memo
    line = Line(p, Point(3), label="l", weight=0.5)
    out = dup(line)
    assert type(out) is Line and out == line
    assert out.start.cache == {"memo": 42}
    assert (out.start.tags is p.tags) is (how == "copy")  # only copy.copy shares
    with pytest.raises(FrozenInstanceError):
        out.label = "m"  # type: ignore[misc]
    assert dup(Flags(model="opus", print_mode=True)) == Flags(model="opus", print_mode=True)


def test_a_snapshot_copies_with_its_memo() -> None:
    snap = Snapshot.of(env={"ANTHROPIC_MODEL": "opus"})
    snap._memo["k"] = 1
    out = copy.copy(snap)
    assert out == snap and out._memo is snap._memo


def test_signature_and_help_show_the_fields() -> None:
    expected = "(x: 'int', y: 'int' = 0, tags: 'list[str]' = <factory>) -> None"
    assert str(inspect.signature(Point)) == expected
    assert str(inspect.signature(Point.__init__)) == expected.replace("(", "(self, ", 1)
    assert str(inspect.signature(Flags)).startswith("(model: 'str | None' = None, ")
    text = pydoc.plain(pydoc.render_doc(Flags))
    assert "Flags(model: 'str | None' = None, " in text
    assert "*args" not in text
    # a record without a docstring gets its signature as one, as dataclasses does it
    assert Line.__doc__ == (
        "Line(start: 'Point', end: 'Point', label: 'str | None' = None, weight: 'float' = 1.0)"
    )


def test_importing_the_package_imports_neither_inspect_nor_dataclasses() -> None:
    code = (
        "import sys, claude_models\n"
        "claude_models.resolve(claude_models.Snapshot.of())\n"
        "print(sorted(m for m in ('inspect', 'dataclasses') if m in sys.modules))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    # Under the test-only switch the dataclasses backend is in use, and must be imported.
    assert out.strip() == ("['dataclasses', 'inspect']" if BACKEND == "dataclasses" else "[]")


@pytest.mark.parametrize("bad", [[], {}, set(), bytearray()])
def test_a_mutable_default_is_refused_at_decoration(bad: object) -> None:
    with pytest.raises(ValueError, match=r"mutable default .* for field a is not allowed"):

        @record
        class Bad:
            a: object = bad

    with pytest.raises(ValueError, match=r"mutable default .* for field a is not allowed"):

        @record
        class BadField:
            a: object = field(default=bad)


def test_other_bad_declarations_are_refused_at_decoration() -> None:
    with pytest.raises(TypeError, match="non-default argument 'b' follows default argument"):

        @record
        class Order:
            a: int = 0
            b: int  # type: ignore[misc]

    with pytest.raises(ValueError, match="cannot specify both default and default_factory"):
        field(default=0, default_factory=int)  # type: ignore[call-overload]


@pytest.mark.skipif(BACKEND == "dataclasses", reason="dataclasses inherits fields; records refuse")
@pytest.mark.parametrize("base", [Point, dataclasses.make_dataclass("DC", [("x", int)])])
def test_a_record_that_would_lose_inherited_fields_is_refused(base: type) -> None:
    with pytest.raises(TypeError, match=r"inherits fields from .*: records do not inherit"):

        @record
        class Child(base):  # type: ignore[misc]
            z: int = 0


def test_post_init_runs() -> None:
    @record
    class Pair:
        a: int
        b: int = field(default=0, init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "b", self.a * 2)

    assert Pair(3).b == 6


def test_what_the_class_defines_itself_wins_as_in_dataclasses() -> None:
    @record
    class Secret:
        name: str
        key: str = field(repr=False)

        def __repr__(self) -> str:
            return f"Secret({self.name}, key=***)"

        def __eq__(self, other: object) -> bool:
            return isinstance(other, Secret) and other.name == self.name

        def __hash__(self) -> int:
            return hash(self.name)

    a, b = Secret("n", "sk-1"), Secret("n", "sk-2")
    assert repr(a) == "Secret(n, key=***)"
    assert a == b and hash(a) == hash(b) == hash("n")

    @record
    class OnlyEq:  # noqa: PLW1641  (the point: __eq__ alone)
        a: int

        def __eq__(self, other: object) -> bool:
            return True

    assert OnlyEq(1) == OnlyEq(2) and hash(OnlyEq(1)) == hash((1,))  # hash still generated


@pytest.mark.parametrize("name", ["__setattr__", "__delattr__"])
def test_a_frozen_record_cannot_bring_its_own_setattr(name: str) -> None:
    def own(self: object, *args: object) -> None:
        pass

    with pytest.raises(TypeError, match=f"Cannot overwrite attribute {name} in class Own"):
        record(type("Own", (), {"__annotations__": {"a": "int"}, name: own}))


def _hot_and_cold() -> tuple[type[Any], type[Any]]:
    """Two identical record classes: one as decorated (the generic ``__init__``), one made hot
    (instantiated ``COMPILE_AFTER`` times, so it runs the ``__init__`` compiled for it)."""

    def make() -> type[Any]:
        @record
        class Shape:
            name: str
            sides: int = 3
            tags: list[str] = field(default_factory=list)
            area: float = field(default=0.0, init=False)
            memo: dict[str, Any] = field(default_factory=dict, init=False, compare=False)

            def __post_init__(self) -> None:
                object.__setattr__(self, "area", float(self.sides) / 2)

        return Shape

    cold, hot = make(), make()
    for _ in range(_record.COMPILE_AFTER):
        hot("warm-up")
    return cold, hot


def test_a_hot_record_class_runs_a_compiled_init() -> None:
    cold, hot = _hot_and_cold()
    if BACKEND == "dataclasses":
        pytest.skip("dataclasses compiles every __init__ at decoration")
    assert cold.__init__.__code__.co_filename == _record.__file__
    assert hot.__init__.__code__.co_filename.startswith("<record ")
    assert hot.__init__.__qualname__ == cold.__init__.__qualname__
    assert str(inspect.signature(hot.__init__)) == str(inspect.signature(cold.__init__))


@pytest.mark.parametrize(
    ("args", "kwargs", "error"),
    [
        (("a",), {}, None),
        (("a", 4), {}, None),
        (("a",), {"sides": 5, "tags": ["t"]}, None),
        ((), {"name": "a", "tags": ["x"]}, None),
        (("a", 4, ["t"]), {}, None),
        ((), {}, r"missing 1 required positional argument: 'name'"),
        (("a", 4, [], 5), {}, r"takes .*positional arguments but 5 were given"),
        (("a",), {"name": "b"}, r"got multiple values for argument 'name'"),
        (("a",), {"z": 2}, r"got an unexpected keyword argument 'z'"),
        (("a",), {"area": 1.0}, r"got an unexpected keyword argument 'area'"),
    ],
)
def test_the_compiled_init_means_what_the_generic_one_means(
    args: tuple[Any, ...], kwargs: dict[str, Any], error: str | None
) -> None:
    cold, hot = _hot_and_cold()
    if error is not None:
        for cls in (cold, hot):
            with pytest.raises(
                TypeError,
                match=rf"^_hot_and_cold\.<locals>\.make\.<locals>\.Shape\.__init__\(\) {error}",
            ):
                cls(*args, **kwargs)
        return
    a, b = cold(*args, **kwargs), hot(*args, **kwargs)
    assert repr(a) == repr(b) and asdict(a) == asdict(b)
    assert (b.area, b.memo) == (b.sides / 2, {})  # __post_init__ and init=False defaults ran
    if "tags" not in kwargs and len(args) < 3:  # a fresh default per instance
        assert hot(*args, **kwargs).tags is not b.tags


_WIDE_POST_INIT: list[type] = []  # the class each Wide.__post_init__ saw


@record
class Wide:
    """Six fields: hot, its compiled ``__init__`` sets them through the mutable twin."""

    a: int
    b: str
    c: tuple[int, ...] = ()
    d: float = 0.5
    e: list[int] = field(default_factory=list)
    f: str = field(default="x", init=False)

    def __post_init__(self) -> None:
        _WIDE_POST_INIT.append(type(self))
        object.__setattr__(self, "f", self.b * 2)


class WideSub(Wide):  # another layout (it has a __dict__): set through the descriptors
    pass


def test_a_hot_wide_record_sets_its_fields_through_a_mutable_twin() -> None:
    for _ in range(_record.COMPILE_AFTER):
        Wide(0, "warm")
    if BACKEND == "record":
        assert Wide.__init__.__globals__.get("_rec_mutable") is not None  # the twin is in use
    _WIDE_POST_INIT.clear()
    for cls in (Wide, WideSub):
        x = cls(1, "b", (2,), e=[3])
        assert type(x) is cls and isinstance(x, Wide)
        assert (x.a, x.b, x.c, x.d, x.e, x.f) == (1, "b", (2,), 0.5, [3], "bb")
        with pytest.raises(FrozenInstanceError):
            x.a = 2  # type: ignore[misc]
        assert x == cls(1, "b", (2,), e=[3]) and x != cls(1, "b")
        assert copy.deepcopy(x) == x
        assert pickle.loads(pickle.dumps(x)) == x  # noqa: S301  (own objects)
        assert replace(x, a=5).a == 5 and type(replace(x, a=5)) is cls
        assert cls(1, "b").e is not cls(1, "b").e  # a fresh default per instance
    # __post_init__ runs on the record's own class, never on the twin
    assert set(_WIDE_POST_INIT) == {Wide, WideSub}


def test_no_mutable_twin_where_the_class_swap_could_misbehave() -> None:
    class Base:
        pass

    @record
    class OnBase(Base):
        a: int
        b: int
        c: int
        d: int
        e: int

    names = ["a", "b", "c", "d", "e"]
    assert _record._mutable_twin(OnBase, names) is None  # a base other than object
    assert _record._mutable_twin(OnBase, names[::-1]) is None  # slots in another order
    for _ in range(_record.COMPILE_AFTER + 1):
        assert OnBase(1, 2, 3, 4, 5).e == 5  # and it still runs, through the descriptors


@lazy("total")
@record
class Bill:
    items: tuple[int, ...]
    total: int = 0


def _bill(calls: list[int]) -> Bill:
    def total() -> int:
        calls.append(1)
        return 3

    return Bill((1, 2), deferred(total))


def test_a_lazy_field_is_computed_once_on_first_read() -> None:
    calls: list[int] = []
    bill = _bill(calls)
    assert calls == []
    assert bill.total == 3 and bill.total == 3 and calls == [1]
    assert Bill((1,), 5).total == 5  # a plain value is a plain value
    with pytest.raises(FrozenInstanceError):
        bill.total = 4  # type: ignore[misc]


READERS: list[tuple[str, Callable[[Any], Any]]] = [
    ("eq", lambda b: b),
    ("hash", hash),
    ("repr", repr),
    ("asdict", asdict),
    ("replace", lambda b: replace(b, items=(7,))),
    ("match_args", lambda b: [getattr(b, n) for n in type(b).__match_args__]),
    *COPIES,
]


@pytest.mark.parametrize(("how", "read"), READERS, ids=[r[0] for r in READERS])
def test_a_lazy_field_means_what_an_eager_one_means(how: str, read: Callable[[Any], Any]) -> None:
    # an unread lazy field gives every reader what the computed value gives it (pickling a
    # lambda would fail: the copies carry the value, never the computation)
    assert read(_bill([])) == read(Bill((1, 2), 3))


def test_lazy_names_a_field_it_cannot_defer() -> None:
    with pytest.raises(TypeError, match=r"lazy\('nope'\): Bill has no slotted field nope"):
        lazy("nope")(Bill)
