"""Priority classes a post starts from, before it configures its own.

Four classes in eCherha's 1:1:1:5 cycle (DOMAIN.md section 6): live animals, perishables, AEO
traders and regular traffic. Live animals wait at most 2 hours (their fitness for transport is
checked against the journey log), perishables 4 hours (TFA 7.9 asks for the shortest possible
time), AEO 6 hours and regular traffic 12. Values and weights make one inspected consignment
worth far more than any wait its maximum allows, so a plan never leaves a consignment out to
save waiting, and a minute of a perishable's wait costs three of a regular truck's.
"""

from __future__ import annotations

from .problem import PriorityClass

LIVE_ANIMALS = PriorityClass(
    code="live_animals",
    name="Live animals",
    rank=0,
    quota=1,
    value=6000,
    wait_weight=5,
    max_wait_minutes=120,
)
PERISHABLE = PriorityClass(
    code="perishable",
    name="Perishable",
    rank=1,
    quota=1,
    value=4000,
    wait_weight=3,
    max_wait_minutes=240,
)
AEO = PriorityClass(
    code="aeo", name="AEO", rank=2, quota=1, value=3000, wait_weight=2, max_wait_minutes=360
)
REGULAR = PriorityClass(
    code="regular",
    name="Regular",
    rank=3,
    quota=5,
    value=2000,
    wait_weight=1,
    max_wait_minutes=720,
)

DEFAULT_PRIORITY_CLASSES: tuple[PriorityClass, ...] = (LIVE_ANIMALS, PERISHABLE, AEO, REGULAR)
