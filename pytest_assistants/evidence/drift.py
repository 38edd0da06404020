"""Drift: what changed in the provider's answers between two sets of recordings.

Each side is reduced to a structural signature per operation and status: the fields of the
body (path -> JSON kinds), the values of discriminators (``type``, ``object``), the order of
keys in each object, the header names, and the statuses seen. Two signatures differ by:

- fields added / removed - reported only where the parent object was seen on both sides,
  and items of tagged arrays are told apart by their ``type`` (``tools[type=function]``),
  so a tool type one side never used is not mistaken for a change of shape;
- type or format changes (``integer`` vs ``float`` included) - only when the kinds seen on
  the two sides have nothing in common (null and data-dependent unions are not drift);
- discriminator values (``tools[].type``: ``retrieval`` -> ``file_search``): a value absent
  from NEW counts as removed only when NEW holds at least as many values at that place as
  OLD (a small recording may simply not use that tool);
- ``tool_resources`` is keyed by tool type: its keys follow the tools used, not the shape;
- key order of the keys both sides have; header names (framing and Cloudflare headers of
  :data:`.wirecompare.IGNORED_HEADERS` left out unless ``--all-headers``); statuses.

Free-form maps (``metadata``, JSON Schemas) are opaque: their keys are user data.
"""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.comparison import IGNORED_HEADERS, json_kind
from pytest_assistants.evidence.recordings import Interaction, load
from pytest_assistants.service import routes

if TYPE_CHECKING:
    import argparse
    from collections.abc import Iterable

CLI_HELP = "structural drift between two sets of recordings or cassettes (exit 1 on drift)"
FREE_FORM = frozenset({"metadata", "parameters", "schema"})
DISCRIMINATORS = frozenset({"type", "object"})
KEYED_MAPS = frozenset({"tool_resources"})


@dataclass
class Shape:
    """The structure seen for one (operation, status)."""

    count: int = 0
    kinds: dict[str, set[str]] = field(default_factory=dict)
    values: dict[str, Counter[str]] = field(default_factory=dict)
    orders: dict[str, Counter[tuple[str, ...]]] = field(default_factory=dict)
    headers: set[str] = field(default_factory=set)

    def add_body(self, value: Any, path: str = "body") -> None:
        self.kinds.setdefault(path, set()).add(json_kind(value))
        if isinstance(value, dict):
            self.orders.setdefault(path, Counter())[tuple(value)] += 1
            for key, item in value.items():
                child = f"{path}.{key}"
                if key in DISCRIMINATORS and isinstance(item, str):
                    self.values.setdefault(child, Counter())[item] += 1
                if key in FREE_FORM:
                    self.kinds.setdefault(child, set()).add(json_kind(item))
                else:
                    self.add_body(item, child)
        elif isinstance(value, list):
            for item in value:
                tag = item.get("type") if isinstance(item, dict) else None
                suffix = f"[type={tag}]" if isinstance(tag, str) else "[]"
                if isinstance(tag, str):
                    self.values.setdefault(f"{path}[].type", Counter())[tag] += 1
                self.add_body(item, path + suffix)


def signatures(
    interactions: Iterable[Interaction], *, all_headers: bool = False
) -> dict[str, dict[int, Shape]]:
    """operation -> status -> shape."""
    out: dict[str, dict[int, Shape]] = {}
    for it in interactions:
        shape = out.setdefault(it.operation, {}).setdefault(it.status, Shape())
        shape.count += 1
        names = set(it.response_headers)
        shape.headers |= names if all_headers else names - IGNORED_HEADERS
        if it.response_json is not None:
            shape.add_body(it.response_json)
    return out


def _parent(path: str) -> str:
    cut = max(path.rfind("."), path.rfind("["))
    return path[:cut] if cut > 0 else path


def _dominant(orders: Counter[tuple[str, ...]]) -> tuple[str, ...]:
    return orders.most_common(1)[0][0]


def compare_shapes(old: Shape, new: Shape) -> dict[str, list[Any]]:
    changes: dict[str, list[Any]] = {}

    def note(kind: str, entry: Any) -> None:
        changes.setdefault(kind, []).append(entry)

    def structural(path: str) -> bool:
        parent = _parent(path)
        return (
            parent != path
            and not path.endswith("]")
            and parent.rpartition(".")[2] not in KEYED_MAPS
            and "object" in old.kinds.get(parent, set()) & new.kinds.get(parent, set())
        )

    both = old.kinds.keys() & new.kinds.keys()
    for path in sorted(new.kinds.keys() - old.kinds.keys()):
        if structural(path):
            note("fields_added", {"path": path, "kinds": sorted(new.kinds[path])})
    for path in sorted(old.kinds.keys() - new.kinds.keys()):
        if structural(path):
            note("fields_removed", {"path": path, "kinds": sorted(old.kinds[path])})
    for path in sorted(both):
        left, right = old.kinds[path] - {"null"}, new.kinds[path] - {"null"}
        if left and right and not left & right:
            note("type_changes", {"path": path, "old": sorted(left), "new": sorted(right)})
    for path in sorted(old.values.keys() & new.values.keys()):
        seen_old, seen_new = old.values[path], new.values[path]
        added = set(seen_new) - set(seen_old)
        # absent from NEW means removed only if NEW looked at least as often as OLD did
        sampled = seen_new.total() >= seen_old.total()
        removed = set(seen_old) - set(seen_new) if sampled else set()
        if added or removed:
            note("values", {"path": path, "added": sorted(added), "removed": sorted(removed)})
    for path in sorted(old.orders.keys() & new.orders.keys()):
        left_order, right_order = _dominant(old.orders[path]), _dominant(new.orders[path])
        shared = set(left_order) & set(right_order)
        left_shared = [k for k in left_order if k in shared]
        right_shared = [k for k in right_order if k in shared]
        if left_shared != right_shared:
            note("key_order", {"path": path, "old": list(left_order), "new": list(right_order)})
    if new.headers - old.headers:
        changes["headers_added"] = sorted(new.headers - old.headers)
    if old.headers - new.headers:
        changes["headers_removed"] = sorted(old.headers - new.headers)
    return changes


@dataclass
class DriftReport:
    old: str
    new: str
    operations: dict[str, dict[str, Any]]
    unmatched: dict[str, str] = field(default_factory=dict)
    """Operations recorded on one side only: nothing to compare, so not drift."""

    @property
    def drift(self) -> bool:
        return bool(self.operations)

    def as_dict(self) -> dict[str, Any]:
        return {
            "old": self.old,
            "new": self.new,
            "drift": self.drift,
            "operations": self.operations,
            "unmatched": self.unmatched,
        }

    def render(self) -> str:
        lines = [f"drift {self.old} -> {self.new}: " + ("changes" if self.drift else "none")]
        for operation, entry in sorted(self.operations.items()):
            lines.append(f"{operation}:")
            statuses = entry.get("statuses", {})
            for sign, key in (("+", "added"), ("-", "removed")):
                if statuses.get(key):
                    lines.append(f"  {sign} status {', '.join(map(str, statuses[key]))}")
            for status, changes in sorted(entry.get("by_status", {}).items()):
                lines.append(f"  status {status}:")
                lines += [f"    {line}" for line in _change_lines(changes)]
        for operation, where in sorted(self.unmatched.items()):
            lines.append(f"{operation}: {where}, not compared")
        return "\n".join(lines)


def _change_lines(changes: dict[str, list[Any]]) -> list[str]:
    lines = []
    for item in changes.get("fields_added", []):
        lines.append(f"+ field {item['path']} ({'|'.join(item['kinds'])})")
    for item in changes.get("fields_removed", []):
        lines.append(f"- field {item['path']} ({'|'.join(item['kinds'])})")
    for item in changes.get("type_changes", []):
        lines.append(f"~ type {item['path']}: {'|'.join(item['old'])} -> {'|'.join(item['new'])}")
    for item in changes.get("values", []):
        parts = [f"+{v}" for v in item["added"]] + [f"-{v}" for v in item["removed"]]
        lines.append(f"~ values {item['path']}: {' '.join(parts)}")
    for item in changes.get("key_order", []):
        lines.append(f"~ key order {item['path']}: {item['old']} -> {item['new']}")
    if changes.get("headers_added"):
        lines.append(f"+ headers {', '.join(changes['headers_added'])}")
    if changes.get("headers_removed"):
        lines.append(f"- headers {', '.join(changes['headers_removed'])}")
    return lines


def diff(
    old: Iterable[Interaction],
    new: Iterable[Interaction],
    *,
    old_name: str = "OLD",
    new_name: str = "NEW",
    all_headers: bool = False,
) -> DriftReport:
    left = signatures(old, all_headers=all_headers)
    right = signatures(new, all_headers=all_headers)
    operations: dict[str, dict[str, Any]] = {}
    unmatched: dict[str, str] = {}
    for operation in sorted(left.keys() | right.keys()):
        if operation not in left or operation not in right:
            side, shapes = ("NEW", right) if operation not in left else ("OLD", left)
            unmatched[operation] = (
                f"only in {side} ({sum(s.count for s in shapes[operation].values())} interactions)"
            )
            continue
        entry: dict[str, Any] = {}
        added = sorted(right[operation].keys() - left[operation].keys())
        removed = sorted(left[operation].keys() - right[operation].keys())
        if added or removed:
            entry["statuses"] = {"added": added, "removed": removed}
        for status in sorted(left[operation].keys() & right[operation].keys()):
            changes = compare_shapes(left[operation][status], right[operation][status])
            if changes:
                entry.setdefault("by_status", {})[str(status)] = changes
        if entry:
            operations[operation] = entry
    return DriftReport(old_name, new_name, operations, unmatched)


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "old",
        metavar="OLD",
        help="recordings before: cassette, JSONL or directory; PATH?beta=v1&until=2024-04-01"
        " keeps a part (see 'conformance --help' for the keys)",
    )
    parser.add_argument("new", metavar="NEW", help="recordings after (same forms as OLD)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument(
        "--all-headers", action="store_true", help="also compare framing and Cloudflare headers"
    )
    parser.add_argument(
        "--operation",
        action="append",
        default=None,
        help="only this operation, e.g. assistants.modify or modify (repeatable)",
    )


def run_cli(args: argparse.Namespace) -> int:
    from pytest_assistants.evidence.recordings import RecordingError

    try:
        old, new = load([args.old]), load([args.new])
    except RecordingError as error:
        print(f"pytest-assistants diff: {error}")
        return 2
    if args.operation:
        wanted = {routes.ALIASES.get(name, name) for name in args.operation}
        old = [i for i in old if i.operation in wanted]
        new = [i for i in new if i.operation in wanted]
    report = diff(old, new, old_name=args.old, new_name=args.new, all_headers=args.all_headers)
    print(json.dumps(report.as_dict(), indent=2) if args.json else report.render())
    return 1 if report.drift else 0
