"""Runs the demo steps of every module in order (used by `seed_demo` and the tests)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

from django.db import transaction

# Each module has seed(context); later steps use what earlier ones put in the context.
DEMO_STEPS = [
    "teamwerk.tenancy.demo",
    "teamwerk.catalogue.demo",
    "teamwerk.planning.demo",
    "teamwerk.team.demo",
    "teamwerk.allocation.demo",
    "teamwerk.stappenplan.demo",
    "teamwerk.documents.demo",
    "teamwerk.actions.demo",
    "teamwerk.evaluation.demo",
    "teamwerk.conversations.demo",
]


def seed_demo() -> dict:
    context: dict = {}
    with transaction.atomic():
        for step in DEMO_STEPS:
            if find_spec(step) is not None:  # a module without demo data has no demo.py
                import_module(step).seed(context)
    return context
