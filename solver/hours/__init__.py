"""Coordinated opening hours: when every office of every agency on both sides of a post is
open, on a 15-minute grid in real (UTC) time. See docs/opening-hours.md."""

from solver.hours.checker import CheckReport, check, evaluate
from solver.hours.problem import HoursProblem, HoursSolution
from solver.hours.solve import solve

__all__ = ["CheckReport", "HoursProblem", "HoursSolution", "check", "evaluate", "solve"]
