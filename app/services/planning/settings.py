"""Rule settings of a post resolved for one side, agency or officer: the most specific row wins."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from models import BorderPost, RuleSetting
from solver.rules import HARD, Enforcement


@dataclass(frozen=True, slots=True)
class Resolved:
    enforcement: Enforcement
    value: dict[str, object]


class RuleBook:
    """Every ``RuleSetting`` of a post for one engine, looked up by rule and scope."""

    def __init__(self, post: BorderPost, engine: str) -> None:
        self._rows: dict[str, list[RuleSetting]] = defaultdict(list)
        for row in post.rule_settings:
            if row.engine == engine:
                self._rows[row.rule].append(row)

    def get(
        self,
        rule: str,
        *,
        side_id: int | None = None,
        agency_id: int | None = None,
        officer_id: int | None = None,
        default: Enforcement | None = HARD,
        default_value: dict[str, object] | None = None,
    ) -> Resolved | None:
        """The setting for ``rule``: officer row, else agency, else side, else post-wide, else default.

        Returns ``None`` when the rule is off (no row and no default).
        """
        best: RuleSetting | None = None
        best_rank = -1
        for row in self._rows.get(rule, ()):
            if row.officer_id is not None:
                rank = 3 if row.officer_id == officer_id else -1
            elif row.agency_id is not None:
                rank = 2 if row.agency_id == agency_id else -1
            elif row.side_id is not None:
                rank = 1 if row.side_id == side_id else -1
            else:
                rank = 0
            if rank > best_rank:
                best, best_rank = row, rank
        if best is None:
            if default is None:
                return None
            return Resolved(default, dict(default_value or {}))
        enforcement = HARD if best.hard else Enforcement.soft(best.weight)
        return Resolved(enforcement, {**(default_value or {}), **(best.value or {})})

    def enforcement(self, rule: str, **scope: int | None) -> Enforcement:
        """How ``rule`` holds for the scope; hard unless a setting makes it soft."""
        resolved = self.get(rule, default=HARD, **scope)
        assert resolved is not None
        return resolved.enforcement

    def value(self, rule: str, key: str, fallback: object, **scope: int | None) -> object:
        resolved = self.get(rule, default=HARD, **scope)
        assert resolved is not None
        return resolved.value.get(key, fallback)
