"""What a test reads of the fake's state: read-only views of each kind of stored object,
rendered as a retrieve would serve them now, each read a deep copy (the store owns its data).
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping
from typing import TYPE_CHECKING, Any

from pytest_assistants.service.routes import KINDS

if TYPE_CHECKING:
    from pytest_assistants.service.profiles import Profile
    from pytest_assistants.service.store import Store


class ObjectsView(Mapping[str, dict[str, Any]]):
    """Read-only mapping id -> the wire object a retrieve would return now, rendered with
    the profile's default rules (``Profile.default``, what its own clients are served).

    Every read is a deep copy: changing it changes nothing in the store.
    """

    def __init__(self, store: Store, kind: str, profile: Profile) -> None:
        self._store = store
        self._kind = KINDS[kind]
        self._rules = profile.default

    def __getitem__(self, object_id: str) -> dict[str, Any]:
        record = self._store.get(self._kind.name, object_id)
        if record is None:
            raise KeyError(object_id)
        return copy.deepcopy(self._kind.render(record, self._rules))

    def __iter__(self) -> Iterator[str]:
        return iter(self._store.keys(self._kind.name))

    def __len__(self) -> int:
        return self._store.count(self._kind.name)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({list(self)!r})"


AssistantsView = ObjectsView  # the name it had when assistants were the only objects


class StoredViews:
    """The fake's views, one per kind a test commonly reads, and :meth:`objects` for any."""

    _store: Store
    profile: Profile

    def objects(self, kind: str) -> ObjectsView:
        """Every stored object of one kind (``"thread.run.step"``...), by id: read-only."""
        if kind not in KINDS:
            raise KeyError(f"{kind!r} is no kind of the Assistants API: use one of {sorted(KINDS)}")
        return ObjectsView(self._store, kind, self.profile)

    @property
    def assistants(self) -> ObjectsView:
        """Every assistant, by id: read-only, each read a copy (what a retrieve serves)."""
        return self.objects("assistant")

    @property
    def threads(self) -> ObjectsView:
        """Every thread, by id (read-only copies, as a retrieve serves them)."""
        return self.objects("thread")

    @property
    def messages(self) -> ObjectsView:
        """Every message of every thread, by id."""
        return self.objects("thread.message")

    @property
    def runs(self) -> ObjectsView:
        """Every run, by id, as it stands (a view does not advance it: only a read does)."""
        return self.objects("thread.run")

    @property
    def files(self) -> ObjectsView:
        """Every uploaded file, by id, as a retrieve serves it (its bytes: ``files.content``)."""
        return self.objects("file")

    @property
    def vector_stores(self) -> ObjectsView:
        """Every vector store, by id, as it stands (a view reads; it advances nothing)."""
        return self.objects("vector_store")
