"""The outcome of a conformance run: per interaction, per profile and operation, as text
(first difference of each mismatch, not-comparable ones grouped by reason) or JSON."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from pytest_assistants.evidence.comparison import (
    FORMAT_HEADERS,
    IGNORED_HEADERS,
    VALUE_HEADERS,
    VOLATILE_HEADERS,
    Difference,
)

if TYPE_CHECKING:
    from pytest_assistants.evidence.recordings import Interaction

CONFORMS = "conforms"


@dataclass
class Result:
    interaction: Interaction
    status: str  # reproduced | mismatch | not comparable
    difference: Difference | None = None
    reason: str = ""  # short category for not comparable
    detail: str = ""
    note: str = ""
    fake_body: Any = None

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "where": self.interaction.where,
            "operation": self.interaction.operation,
            "profile": self.interaction.profile,
            "profile_reason": self.interaction.profile_reason,
            "status": self.status,
        }
        if self.difference:
            out["difference"] = self.difference.as_dict()
            out["fake_body"] = self.fake_body
        if self.reason:
            out["reason"], out["detail"] = self.reason, self.detail
        if self.note:
            out["note"] = self.note
        return out


@dataclass
class ConformanceReport:
    """Every interaction's outcome; ``report == CONFORMS`` when nothing comparable differs."""

    results: list[Result] = field(default_factory=list)
    sessions: int = 0

    def of(self, status: str) -> list[Result]:
        return [r for r in self.results if r.status == status]

    @property
    def mismatches(self) -> list[Result]:
        return self.of("mismatch")

    @property
    def not_comparable(self) -> list[Result]:
        return self.of("not comparable")

    @property
    def compared(self) -> list[Result]:
        return [r for r in self.results if r.status != "not comparable"]

    @property
    def ok(self) -> bool:
        return not self.mismatches

    def __eq__(self, other: object) -> bool:
        if isinstance(other, str) and other == CONFORMS:
            return self.ok and bool(self.compared)
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def table(self) -> dict[str, dict[str, dict[str, int]]]:
        """profile -> operation -> compared / reproduced / not_comparable."""
        out: dict[str, dict[str, dict[str, int]]] = {}
        for result in self.results:
            row = out.setdefault(result.interaction.profile, {}).setdefault(
                result.interaction.operation,
                {"compared": 0, "reproduced": 0, "not_comparable": 0},
            )
            if result.status == "not comparable":
                row["not_comparable"] += 1
            else:
                row["compared"] += 1
                row["reproduced"] += result.status == "reproduced"
        return out

    def endpoints(self) -> dict[str, dict[str, Any]]:
        """endpoint (qualified operation, or method and path template) -> compared /
        reproduced / not comparable, the last by reason."""
        out: dict[str, dict[str, Any]] = {}
        for result in self.results:
            row = out.setdefault(
                result.interaction.endpoint,
                {"compared": 0, "reproduced": 0, "not_comparable": {}},
            )
            if result.status == "not comparable":
                reasons = row["not_comparable"]
                reasons[result.reason] = reasons.get(result.reason, 0) + 1
            else:
                row["compared"] += 1
                row["reproduced"] += result.status == "reproduced"
        return dict(sorted(out.items(), key=lambda item: (" " in item[0], item[0])))

    def endpoint_lines(self) -> list[str]:
        """The per-endpoint table as text lines."""
        lines = [f"{'endpoint':<48}{'reproduced/compared':>20}  not comparable (by reason)"]
        for endpoint, row in self.endpoints().items():
            counts = f"{row['reproduced']}/{row['compared']}"
            reasons = ", ".join(f"{k} {v}" for k, v in sorted(row["not_comparable"].items()))
            lines.append(f"{endpoint:<48}{counts:>20}  {reasons or '-'}")
        return lines

    def reasons(self) -> dict[str, list[Result]]:
        grouped: dict[str, list[Result]] = {}
        for result in self.not_comparable:
            grouped.setdefault(result.reason, []).append(result)
        return grouped

    def as_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "totals": {
                "interactions": len(self.results),
                "sessions": self.sessions,
                "compared": len(self.compared),
                "reproduced": len(self.of("reproduced")),
                "mismatched": len(self.mismatches),
                "not_comparable": len(self.not_comparable),
                "with_preloaded_objects": sum(bool(r.note) for r in self.compared),
            },
            "endpoints": self.endpoints(),
            "profiles": self.table(),
            "headers": self.header_policy(),
            "mismatches": [r.as_dict() for r in self.mismatches],
            "not_comparable": {k: [r.as_dict() for r in v] for k, v in self.reasons().items()},
        }

    def mismatch_lines(self) -> list[str]:
        lines = []
        for result in self.mismatches:
            it = result.interaction
            lines.append(f"{it.operation} {it.where} [{it.profile}]")
            assert result.difference is not None
            lines.append(f"    {result.difference.describe()}")
            error = result.fake_body.get("error") if isinstance(result.fake_body, dict) else None
            if result.difference.kind == "status" and isinstance(error, dict):
                lines.append(f"    fake said: {error.get('message')}")
        return lines + self.profile_hints()

    def profile_hints(self) -> list[str]:
        """Which profile each session with a mismatch was replayed with, why, and how to
        choose another: a wrong era is the likeliest cause of a wholesale mismatch."""
        chosen: dict[tuple[str, str], str] = {}
        for result in self.mismatches:
            it = result.interaction
            chosen.setdefault((it.source, it.profile), it.profile_reason)
        if not chosen:
            return []
        lines = ["", "Profiles the mismatching sessions were replayed with:"]
        for (source, profile), reason in chosen.items():
            lines.append(f"  {source}: {profile} ({reason or 'no reason recorded'})")
        lines.append(
            "  If a recording is of another era or dialect, rerun with --profile NAME"
            " (pytest-assistants conformance PATH --profile NAME)."
        )
        return lines

    @staticmethod
    def header_policy() -> dict[str, Any]:
        """Which response headers are compared how (printed with every report)."""
        return {
            "values": list(VALUE_HEADERS),
            "formats": list(FORMAT_HEADERS),
            "volatile": dict(VOLATILE_HEADERS),
            "names only": "every other header, except framing and CDN headers",
            "ignored": sorted(IGNORED_HEADERS),
        }

    def render(self) -> str:
        totals = self.as_dict()["totals"]
        lines = [
            f"conformance: {totals['interactions']} interactions in {self.sessions} sessions:"
            f" {totals['reproduced']}/{totals['compared']} compared reproduced"
            f" ({totals['with_preloaded_objects']} with preloaded objects),"
            f" {totals['mismatched']} mismatched, {totals['not_comparable']} not comparable",
            "",
            *self.endpoint_lines(),
            "",
            f"{'profile':<22}{'operation':<28}{'reproduced/compared':>20}{'not comparable':>16}",
        ]
        for profile, operations in sorted(self.table().items()):
            for operation, row in sorted(operations.items()):
                counts = f"{row['reproduced']}/{row['compared']}"
                lines.append(f"{profile:<22}{operation:<28}{counts:>20}{row['not_comparable']:>16}")
        if self.mismatches:
            lines += ["", "Mismatches (first difference of each):", *self.mismatch_lines()]
        lines += [
            "",
            f"Headers compared by value: {', '.join(VALUE_HEADERS)}; by format:"
            f" {', '.join(FORMAT_HEADERS)}; volatile (value not compared):"
            f" {', '.join(VOLATILE_HEADERS)}; others by name.",
        ]
        if self.not_comparable:
            lines += ["", "Not comparable, by reason:"]
            for reason, results in sorted(self.reasons().items()):
                lines.append(f"  {reason} ({len(results)}):")
                lines += [f"    {r.interaction.where}: {r.detail}" for r in results]
        return "\n".join(lines)
