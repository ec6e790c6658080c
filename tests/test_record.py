"""``@record`` behaves as ``@dataclass(frozen=True, slots=True)`` does for this package."""

from __future__ import annotations

from typing import Any

import pytest

from claude_models._record import FrozenInstanceError, field, record, replace


@record
class Point:
    """A point."""

    x: int
    y: int = 0
    tags: list[str] = field(default_factory=list)
    cache: dict[str, Any] = field(default_factory=dict, init=False, repr=False, compare=False)

    @property
    def norm1(self) -> int:
        return abs(self.x) + abs(self.y)


def test_construction_positional_keyword_defaults() -> None:
    assert Point(1, 2) == Point(x=1, y=2)
    p = Point(3)
    assert (p.x, p.y, p.tags, p.cache, p.norm1) == (3, 0, [], {}, 3)
    assert Point(1).tags is not Point(1).tags  # a fresh default per instance


def test_frozen_and_slotted() -> None:
    p = Point(1)
    with pytest.raises(FrozenInstanceError):
        p.x = 2  # type: ignore[misc]
    with pytest.raises(FrozenInstanceError):
        del p.x  # type: ignore[misc]
    assert not hasattr(p, "__dict__")
    assert Point.__slots__ == ("x", "y", "tags", "cache")


def test_repr_eq_hash_leave_out_what_they_should() -> None:
    a, b = Point(1, 2, ("t",)), Point(1, 2, ("t",))  # type: ignore[arg-type]
    a.cache["k"] = 1
    assert a == b and hash(a) == hash(b)
    assert repr(a) == "Point(x=1, y=2, tags=('t',))"
    assert Point(1) != Point(2)
    assert Point(1) != (1, 0)


@pytest.mark.parametrize(
    ("args", "kwargs", "message"),
    [
        ((), {}, "missing required argument 'x'"),
        ((1, 2, [], 4), {}, "takes 3 positional arguments"),
        ((1,), {"x": 2}, "multiple values for 'x'"),
        ((1,), {"z": 2}, "unexpected arguments"),
        ((1,), {"cache": {}}, "unexpected arguments"),
    ],
)
def test_bad_construction(args: tuple[Any, ...], kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(TypeError, match=message):
        Point(*args, **kwargs)


def test_replace() -> None:
    assert replace(Point(1, 2), y=5) == Point(1, 5)


def test_post_init_runs() -> None:
    @record
    class Pair:
        a: int
        b: int = field(default=0, init=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "b", self.a * 2)

    assert Pair(3).b == 6
