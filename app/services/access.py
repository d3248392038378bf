"""What each role may do at a post, in one table the pages, the API and the tests all read.

Scope (which post, side, agency or officer) is checked separately by ``app.security``; this
table answers the other question: given that the user may see the post, may their role use
this part of Juxta at all? A role that may not gets 403, because the page exists for others.
"""

from __future__ import annotations

import enum

from models import Role, User


class Ability(enum.StrEnum):
    VIEW_TIMELINE = "view_timeline"  # both sides' opening hours and joint slots
    VIEW_STAFFING = "view_staffing"  # officers on duty per office (internal to each side)
    VIEW_ROSTER = "view_roster"  # rows limited further by ``can_see_officer``
    VIEW_COVERAGE = "view_coverage"
    VIEW_PLANS = "view_plans"  # plan versions, their KPIs and explanations, comparisons
    VIEW_DRAFTS = "view_drafts"  # unpublished plans; others only ever see the published one
    RUN_PLANS = "run_plans"  # scope further limited by ``can_manage_post``
    PUBLISH_PLANS = "publish_plans"
    VIEW_INSPECTIONS = "view_inspections"
    BOOK_INSPECTIONS = "book_inspections"  # for which agencies: ``can_book_for``
    VIEW_AUDIT = "view_audit"


_READERS = {Ability.VIEW_TIMELINE, Ability.VIEW_INSPECTIONS}
_PLANNERS = _READERS | {
    Ability.VIEW_STAFFING, Ability.VIEW_ROSTER, Ability.VIEW_COVERAGE, Ability.VIEW_PLANS, Ability.VIEW_DRAFTS,
}

ABILITIES: dict[Role, frozenset[Ability]] = {
    Role.ADMIN: frozenset(Ability),
    Role.POST_MANAGER: frozenset(_PLANNERS | {Ability.RUN_PLANS, Ability.PUBLISH_PLANS, Ability.BOOK_INSPECTIONS, Ability.VIEW_AUDIT}),
    Role.AGENCY_SCHEDULER: frozenset(_PLANNERS | {Ability.BOOK_INSPECTIONS}),
    # Officers read their own shifts, the hours and the joint slots they may be sent to.
    Role.OFFICER: frozenset(_READERS | {Ability.VIEW_ROSTER}),
    # The neighbouring administration reads hours and joint slots, nothing internal.
    Role.NEIGHBOUR_VIEWER: frozenset(_READERS),
    Role.AUDITOR: frozenset(_PLANNERS | {Ability.VIEW_AUDIT}),
}


def can(user: User, ability: Ability) -> bool:
    return ability in ABILITIES[user.role]
