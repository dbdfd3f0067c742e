"""The cells of the distribution matrix, written in Python rather than in a template loop.

A school of 80 people and 200 tasks has 16,000 cells; a template tag per cell would take
most of a second, a joined string takes a few milliseconds. Everything that comes from data
goes through escape().
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from .selectors import MatrixRow, SkillMap


@dataclass(frozen=True)
class CellLabels:
    owner: str
    backup: str
    none: str
    not_qualified: str

    @classmethod
    def current(cls, terms: dict | None = None) -> CellLabels:
        """The labels in the active language; ``terms``: the organisation's regional words."""
        return cls(
            # Translators: one letter in a matrix cell for "trekker" (owner of a task).
            owner=_("T"),
            # Translators: one letter in a matrix cell for "back-up".
            backup=_("B"),
            none=_("geen rol"),
            not_qualified=str(terms["not_qualified"]) if terms else _("niet pedagogisch bekwaam"),
        )


@dataclass(frozen=True)
class Column:
    pk: int
    qualified: bool


def columns_for(people) -> list[Column]:
    """What a cell needs to know about its person, read once per page, not once per cell."""
    return [Column(p.pk, p.pedagogically_qualified) for p in people]


def row_cells(
    row: MatrixRow,
    columns: list[Column],
    skills: SkillMap | None,
    *,
    labels: CellLabels,
) -> SafeString:
    """One ``<td>`` per column, as short as HTML allows.

    A cell holds its role letter, the rating ``kennis·motivatie`` and one-letter classes
    (``o`` trekker, ``b`` back-up, ``n`` not qualified, ``f`` can and wants; see team.css).
    The closing ``</td>`` is left out, which HTML allows before the next cell and the end of
    the row: at 80 people x 200 tasks that alone is 80 KB. The cell knows its person by its
    column (``#matrix-columns``); matrix.js turns a click or Enter into the editor, so an
    editable matrix is no heavier than a read-only one.
    """
    task = row.planned_task.task
    task_id, domain_id = task.pk, task.domain_id
    needs_qualification = task.needs_pedagogical_qualification
    owner_id = row.owner_id
    backups = set(row.backup_ids)
    owner_text, backup_text = escape(labels.owner), escape(labels.backup)
    not_qualified = f"<span class=vh> ({escape(labels.not_qualified)})</span>"
    by_task = skills.by_task if skills is not None else {}
    by_domain = skills.by_domain if skills is not None else {}
    parts = []
    for column in columns:
        pk = column.pk
        classes = []
        role = ""
        if pk == owner_id:
            classes.append("o")
            role = owner_text
        elif pk in backups:
            classes.append("b")
            role = backup_text
        rating = ""
        if skills is not None:
            skill = by_task.get((pk, task_id)) or by_domain.get((pk, domain_id))
            if skill is not None:
                if skill.expertise >= 2 and skill.motivation >= 2:
                    classes.append("f")
                rating = f"{skill.expertise}·{skill.motivation}"
        hint = ""
        if needs_qualification and not column.qualified:
            classes.append("n")
            hint = not_qualified
        if role:
            inner = role + (f"<small>{rating}</small>" if rating else "") + hint
        else:
            inner = rating + hint
        if not classes:
            parts.append(f"<td>{inner}")
        elif len(classes) == 1:
            parts.append(f"<td class={classes[0]}>{inner}")
        else:
            parts.append(f'<td class="{" ".join(classes)}">{inner}')
    return mark_safe("".join(parts))  # noqa: S308 - data went through escape()
