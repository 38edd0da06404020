"""Answers that show the provider's own pace rather than its behaviour (§14.1, §14.5).

The provider processes a vector store's files in the background and its lists catch up
with creates a moment later; the fake advances a file one step per read and lists what it
holds (a CHOICE, as for runs). So two recorded answers say how fast the provider was, not
what it does, and are not comparable:

- a listing of a vector store's (or batch's) files where it, or the same listing later in
  the session, shows files still ``in_progress`` (the files finish at the provider's pace;
  one not yet processed also reorders the pages);
- an account list (``order=desc``) that leaves out objects the session had just made, newer
  than the page's last item: the list had not caught up with the creates.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.preload import ACCOUNT_LISTS

if TYPE_CHECKING:
    from pytest_assistants.evidence.recordings import Interaction
    from pytest_assistants.evidence.replay import SessionReplay

FILE_LISTS = ("vector_stores.files.list", "vector_stores.file_batches.list_files")
PROCESSING = "processing pace (timing)"
LIST_LAG = "list not caught up (timing)"


def _items(it: Interaction) -> list[dict[str, Any]]:
    body = it.response_json
    data = body.get("data") if isinstance(body, dict) and 200 <= it.status < 300 else None
    return [item for item in data or [] if isinstance(item, dict)]


def processing_pace(it: Interaction, session: list[Interaction]) -> tuple[str, str] | None:
    """(reason, detail) for a file listing whose files finished at the provider's pace."""
    if it.operation not in FILE_LISTS:
        return None
    for other in (it, *session):
        if other.operation == it.operation and other.path == it.path:
            statuses = {str(item.get("status")) for item in _items(other)}
            if "in_progress" in statuses:
                return (
                    PROCESSING,
                    f"the listing shows files still in_progress at #{other.index}: the"
                    " provider processed them at its own pace; the fake advances each one"
                    " step per read (§14.5 CHOICE)",
                )
    return None


def list_lag(it: Interaction, replay: SessionReplay) -> tuple[str, str] | None:
    """(reason, detail) for an account list that had not caught up with the session's
    creates."""
    kind = ACCOUNT_LISTS.get(it.operation)
    items = _items(it)
    paged = any(part in it.query for part in ("after=", "before=", "order=asc"))
    if kind is None or not items or paged:
        return None
    listed = {str(item.get("id")) for item in items}
    oldest = min(int(item.get("created_at") or 0) for item in items)
    ids, preloaded = replay.ids, replay.preloader.preloaded_ids
    made = [
        ids.to_recorded.get(fake_id, fake_id)
        for fake_id, obj in replay.fake.objects(kind).items()
        if int(obj.get("created_at") or 0) > oldest
    ]
    missing = [m for m in made if m not in listed and m not in preloaded]
    if not missing:
        return None
    return (
        LIST_LAG,
        f"the page leaves out {len(missing)} {kind}(s) the session had just made"
        f" ({missing[0]}...): the provider's list had not caught up with its creates",
    )
