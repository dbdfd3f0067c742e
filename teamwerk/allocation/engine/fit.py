"""From the app's 0–3 self-assessment to the engine's 0–100 fit score."""

from __future__ import annotations

MAX_LEVEL = 3
EXPERTISE_WEIGHT = 2  # what someone can do counts twice what they want to do


def fit_score(expertise: int | None, motivation: int | None) -> float | None:
    """Fit 0–100 from expertise 0–3 and motivation 0–3: ``100 * (2e + m) / 9``.

    Examples: (3, 3) -> 100, (3, 0) -> 66.7, (2, 2) -> 66.7, (0, 3) -> 33.3, (0, 0) -> 0.
    Returns None when either level is unknown, so the engine falls back to
    ``Problem.default_fit`` and warns instead of guessing here.
    """
    if expertise is None or motivation is None:
        return None
    for level in (expertise, motivation):
        if not 0 <= level <= MAX_LEVEL:
            raise ValueError(f"level must be 0..{MAX_LEVEL}, got {level}")
    top = (EXPERTISE_WEIGHT + 1) * MAX_LEVEL
    return round(100 * (EXPERTISE_WEIGHT * expertise + motivation) / top, 1)
