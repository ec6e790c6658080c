"""The harness's standalone fake API (``tools/follow/fakeapi.py``) for the client tests, with
each request's whole JSON body kept in its log entry (``body``)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from tools.follow.fakeapi import FakeAPI


class BodyAPI(FakeAPI):
    """:class:`FakeAPI` whose request log also keeps the whole body."""

    @staticmethod
    def _record(**kw: Any) -> dict[str, Any]:
        out = FakeAPI._record(**kw)
        out["body"] = kw["body"]
        return out

    def messages(self) -> list[dict[str, Any]]:
        return [r for r in self.requests() if r["model"] is not None]


@pytest.fixture(name="api")
def api_fixture() -> Iterator[BodyAPI]:
    server = BodyAPI()
    server.start()
    try:
        yield server
    finally:
        server.stop()
