"""The planning pipeline: opening hours -> staffing needs -> roster, stored as a draft plan.

``pipeline.run_pipeline`` is what ``juxta plan``, the web's plan runs (job kind ``plan``)
and the tests call. Each engine's result passes its independent checker before anything is
stored: a plan that breaks a hard rule is a bug, never a draft.
"""
