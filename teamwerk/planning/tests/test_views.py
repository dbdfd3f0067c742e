"""The task overview pages: who sees what, inline editing, bulk actions, filters, queries."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teamwerk.accounts.models import AuditEvent
from teamwerk.catalogue.models import Domain, Task
from teamwerk.planning import services
from teamwerk.planning.models import Horizon, PlannedTask, TaskPlan
from teamwerk.tenancy.services import school_year_ensure

from .conftest import item_of

HTMX = {"HTTP_HX_REQUEST": "true"}


def _detail(plan):
    return reverse("plan_detail", kwargs={"pk": plan.pk})


def _update_url(item):
    return reverse("plan_item_update", kwargs={"pk": item.plan_id, "item_pk": item.pk})


@pytest.mark.parametrize("key", ["directie_noord", "ict_noord", "beheerder", "directeur"])
def test_editors_get_selects_that_save_on_change(client_for, noord_plan, key):
    page = client_for(key).get(_detail(noord_plan)).content.decode()
    item = item_of(noord_plan, "POL-01")
    assert f'hx-post="{_update_url(item)}"' in page
    assert 'id="bulk-form"' in page
    assert "Excel inlezen" in page and "Eigen taak" in page


@pytest.mark.parametrize("key", ["teamlid_noord", "lezer_noord"])
def test_teamlid_and_lezer_read_the_plan_without_edit_controls(client_for, noord_plan, key):
    response = client_for(key).get(_detail(noord_plan))
    page = response.content.decode()
    assert response.status_code == 200
    assert "alleen lezen" in page
    assert "Eerstelijns ICT-helpdesk" in page and "Essentieel nu" in page
    assert "hx-post" not in page and 'id="bulk-form"' not in page
    assert "Excel inlezen" not in page
    assert "Naar Excel" in page  # reading includes taking the plan along in Excel


@pytest.mark.parametrize("key", ["teamlid_noord", "lezer_noord"])
def test_teamlid_and_lezer_cannot_change_anything(client_for, noord_plan, key):
    client = client_for(key)
    item = item_of(noord_plan, "POL-01")
    before = services.plan_fingerprint(noord_plan)
    posts = [
        (_update_url(item), {"notes": "x", "version": item.version}),
        (
            reverse("plan_bulk_update", kwargs={"pk": noord_plan.pk}),
            {"scope": "domain:POL", "action": "applies_no"},
        ),
        (
            reverse("plan_custom_task_add", kwargs={"pk": noord_plan.pk}),
            {"domain": Domain.objects.get(code="POL").pk, "title_nl": "Stiekem"},
        ),
        (reverse("plan_catalogue_tasks_add", kwargs={"pk": noord_plan.pk}), {"tasks": []}),
        (reverse("plan_import", kwargs={"pk": noord_plan.pk}), {}),
    ]
    for url, data in posts:
        assert client.post(url, data, **HTMX).status_code == 403, url
    assert services.plan_fingerprint(noord_plan) == before
    assert not Task.objects.filter(title_nl="Stiekem").exists()


def test_another_school_cannot_even_see_the_plan(client_for, noord_plan):
    assert client_for("directie_zuid").get(_detail(noord_plan)).status_code == 404
    assert client_for("beheerder_stichting").get(_detail(noord_plan)).status_code == 404


def test_inline_edit_saves_one_field_and_returns_the_row_and_totals(client_for, noord_plan):
    item = item_of(noord_plan, "PED-05")
    response = client_for("ict_noord").post(
        _update_url(item), {"hours": "42,5", "version": item.version}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert f'id="item-{item.pk}"' in page and "tw-saved" in page and "Bewaard" in page
    assert 'id="plan-totals"' in page and 'hx-swap-oob="true"' in page
    assert f'id="domain-head-{item.task.domain.code}"' in page
    saved = item_of(noord_plan, "PED-05")
    assert saved.hours == Decimal("42.5") and saved.version == item.version + 1
    assert saved.horizon == item.horizon  # only the changed field was sent and saved


def test_a_stale_inline_edit_shows_both_values_and_keeps_the_current_one(
    world, client_for, noord_plan
):
    item = item_of(noord_plan, "POL-04")
    services.planned_task_update(
        actor=world.users["directie_noord"],
        item=item,
        expected_version=item.version,
        horizon=Horizon.LATER,
    )
    response = client_for("ict_noord").post(
        _update_url(item), {"horizon": "dropped", "version": item.version}, **HTMX
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Iemand anders heeft deze taak intussen gewijzigd" in page
    assert "Laten vallen" in page and "Spreiden over latere jaren" in page
    assert "Toch mijn keuze bewaren" in page
    assert item_of(noord_plan, "POL-04").horizon == Horizon.LATER


def test_an_invalid_value_is_explained_and_not_saved(client_for, noord_plan):
    item = item_of(noord_plan, "POL-04")
    response = client_for("ict_noord").post(
        _update_url(item), {"hours": "heel veel", "version": item.version}, **HTMX
    )
    assert response.status_code == 422
    assert "is geen getal" in response.content.decode()
    assert item_of(noord_plan, "POL-04").hours == item.hours


def test_bulk_marks_a_whole_domain_as_applying(client_for, zuid_plan):
    response = client_for("directie_zuid").post(
        reverse("plan_bulk_update", kwargs={"pk": zuid_plan.pk}),
        {"scope": "domain:COO", "action": "applies_yes"},
        **HTMX,
    )
    assert response.status_code == 200
    assert "aangepast" in response.content.decode()
    assert set(
        zuid_plan.items.filter(task__domain__code="COO").values_list("applies", flat=True)
    ) == {True}


def test_bulk_on_ticked_tasks_only(client_for, zuid_plan):
    ticked = list(zuid_plan.items.filter(task__domain__code="TEC")[:2])
    other = zuid_plan.items.filter(task__domain__code="TEC")[2]
    client_for("directie_zuid").post(
        reverse("plan_bulk_update", kwargs={"pk": zuid_plan.pk}),
        {"scope": "selected", "items": [i.pk for i in ticked], "action": "priority_1"},
        **HTMX,
    )
    assert {PlannedTask.objects.get(pk=i.pk).priority for i in ticked} == {1}
    assert PlannedTask.objects.get(pk=other.pk).priority == other.priority


def test_bulk_without_ticked_tasks_asks_to_tick_some(client_for, zuid_plan):
    response = client_for("directie_zuid").post(
        reverse("plan_bulk_update", kwargs={"pk": zuid_plan.pk}),
        {"scope": "selected", "action": "priority_1"},
        **HTMX,
    )
    assert response.status_code == 422
    assert "Vink eerst" in response.content.decode()


def test_undecided_tasks_are_marked_and_can_be_filtered(client_for, zuid_plan):
    client = client_for("directie_zuid")
    undecided = [i for i in zuid_plan.items.all() if not i.is_decided]
    assert undecided  # the demo leaves Campus Zuid partly decided
    page = client.get(_detail(zuid_plan)).content.decode()
    assert f"nog {len(undecided)} te beslissen" in page
    assert page.count("tw-undecided") == len(undecided)
    filtered = client.get(
        _detail(zuid_plan) + "?status=undecided", HTTP_HX_TARGET="plan-table", **HTMX
    ).content.decode()
    assert filtered.count('class="tw-item') == len(undecided)
    assert "<html" not in filtered  # only the table is sent back


def test_search_finds_tasks_by_title_code_or_note(client_for, noord_plan):
    client = client_for("ict_noord")

    def table(query):
        return client.get(
            _detail(noord_plan) + query, HTTP_HX_TARGET="plan-table", **HTMX
        ).content.decode()

    page = table("?q=helpdesk")
    assert "Eerstelijns ICT-helpdesk" in page and "Website en sociale media" not in page
    assert "Eerstelijns ICT-helpdesk" in table("?q=TEC-04")
    assert "Eerstelijns ICT-helpdesk" in table("?q=leerlingen-helpers")  # in its note


def test_hours_needed_against_the_budget(client_for, noord_plan):
    """Hours needed: this year's tasks of the own team or the group (core.figures), the same
    number the team dashboard shows; set against the school's budget."""
    from teamwerk.core.figures import counts_for_team, plain_number, task_hours

    page = client_for("ict_noord").get(_detail(noord_plan)).content.decode()
    items = noord_plan.items.select_related("task")
    needed = sum(task_hours(i) for i in items if counts_for_team(i))
    assert f'data-figure="hours_needed" data-value="{plain_number(needed)}"' in page
    assert 'data-figure="budget" data-value="420"' in page


def test_the_guiding_questions_of_step_5_are_shown(client_for, noord_plan, group_plan):
    page = client_for("ict_noord").get(_detail(noord_plan)).content.decode()
    assert "Welke kunnen wachten" in page and "samenwerking in de groep" in page
    group_page = client_for("directeur").get(_detail(group_plan)).content.decode()
    assert "schaalvoordelen" in group_page


def _plan_with(world, count: int) -> TaskPlan:
    year = school_year_ensure(organisation=world.organisation, start_year=2040 + count)
    plan = services.plan_create_from_catalogue(
        actor=world.users["ict_noord"],
        school=world.noord,
        organisation=world.organisation,
        school_year=year,
    )
    keep = list(plan.items.order_by("task__code").values_list("pk", flat=True)[:count])
    plan.items.exclude(pk__in=keep).delete()
    for item in plan.items.all()[: count // 2]:
        services.planned_task_update(
            actor=world.users["ict_noord"],
            item=item,
            expected_version=item.version,
            applies=True,
            hours=5,
            notes="Afspraak",
        )
    assert plan.items.count() == count
    return plan


def test_the_plan_page_does_the_same_number_of_queries_for_5_and_60_tasks(world, client_for):
    client = client_for("ict_noord")
    small, large = _plan_with(world, 5), _plan_with(world, 60)
    client.get(_detail(small))  # warm up the session and caches
    counts = []
    for plan in (small, large):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(_detail(plan)).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert counts[1] <= 25


def test_inline_save_does_a_fixed_number_of_queries(world, client_for):
    client = client_for("ict_noord")
    counts = []
    for count in (5, 60):
        plan = _plan_with(world, count)
        item = plan.items.first()
        with CaptureQueriesContext(connection) as queries:
            client.post(_update_url(item), {"priority": "2", "version": item.version}, **HTMX)
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


def test_history_shows_who_changed_what(world, client_for, noord_plan):
    item = item_of(noord_plan, "COO-02")
    services.planned_task_update(
        actor=world.users["directie_noord"], item=item, expected_version=item.version, hours=17
    )
    page = (
        client_for("lezer_noord")
        .get(reverse("plan_history", kwargs={"pk": noord_plan.pk}))
        .content.decode()
    )
    assert "Nadia Noorden" in page and "Afstemmen met collega" in page
    assert f"{int(item.hours)}</span> → <strong>17</strong>" in page
    # The plan page shows the latest changes too.
    plan_page = client_for("ict_noord").get(_detail(noord_plan)).content.decode()
    assert "Laatste wijzigingen" in plan_page and "Nadia Noorden" in plan_page


def test_history_page_queries_do_not_grow_with_changes(world, client_for, noord_plan):
    client = client_for("ict_noord")
    url = reverse("plan_history", kwargs={"pk": noord_plan.pk})
    client.get(url)
    with CaptureQueriesContext(connection) as before:
        client.get(url)
    for item in noord_plan.items.all()[:30]:
        services.planned_task_update(
            actor=world.users["ict_noord"], item=item, expected_version=item.version, notes="n"
        )
    with CaptureQueriesContext(connection) as after:
        client.get(url)
    assert len(before) == len(after)


def test_adding_an_own_task_from_the_plan(world, client_for, noord_plan):
    response = client_for("ict_noord").post(
        reverse("plan_custom_task_add", kwargs={"pk": noord_plan.pk}),
        {
            "domain": Domain.objects.get(code="SUP").pk,
            "title_nl": "Ouderavond over schermtijd",
            "hours": "8",
            "horizon": "now",
            "level": "",
            "sourcing": "team",
            "notes": "",
        },
    )
    assert response.status_code == 302
    item = noord_plan.items.get(task__title_nl="Ouderavond over schermtijd")
    assert item.applies and item.hours == 8 and item.horizon == Horizon.NOW
    assert not item.task.is_standard


def test_adding_tasks_the_catalogue_gained_later(world, client_for, noord_plan):
    task = Task.objects.create(
        code="SUP-98", domain=Domain.objects.get(code="SUP"), title_nl="Nieuw in de catalogus"
    )
    client = client_for("ict_noord")
    page = client.get(_detail(noord_plan)).content.decode()
    assert "1 taak uit de catalogus" in page
    client.post(
        reverse("plan_catalogue_tasks_add", kwargs={"pk": noord_plan.pk}), {"tasks": [task.pk]}
    )
    assert noord_plan.items.get(task=task).applies is None


def test_starting_next_year_by_copying_this_year(world, client_for, noord_plan, school_year):
    response = client_for("ict_noord").post(
        reverse("plan_start"),
        {
            "form": "school",
            "school": world.noord.pk,
            "school-start_year": school_year.start_year + 1,
            "school-source": noord_plan.pk,
        },
    )
    plan = TaskPlan.objects.get(
        school=world.noord, school_year__start_year=school_year.start_year + 1
    )
    assert response["Location"] == _detail(plan)
    assert plan.items.filter(applies=None).count() == 0  # every choice came along


def test_the_list_offers_copying_last_years_plan(client_for, noord_plan):
    page = client_for("ict_noord").get(reverse("plan_list")).content.decode()
    assert f'value="{noord_plan.pk}" selected' in page
    assert "het overzicht van" in page


def test_export_downloads_an_xlsx_and_is_audited(world, client_for, noord_plan):
    response = client_for("teamlid_noord").get(reverse("plan_export", kwargs={"pk": noord_plan.pk}))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="takenoverzicht-campus-noord-' in response["Content-Disposition"]
    assert response.content[:2] == b"PK"
    event = AuditEvent.objects.filter(kind="plan.exported").latest("created_at")
    assert event.actor == world.users["teamlid_noord"]


# -- the group -----------------------------------------------------------------------------------


def test_every_member_reads_the_group_plan_only_the_organisation_edits_it(client_for, group_plan):
    for key in ("teamlid_noord", "directie_noord", "directie_zuid"):
        response = client_for(key).get(_detail(group_plan))
        assert response.status_code == 200
        assert "hx-post" not in response.content.decode()
    item = group_plan.items.first()
    denied = client_for("directie_noord").post(
        _update_url(item), {"notes": "x", "version": item.version}, **HTMX
    )
    assert denied.status_code == 403
    allowed = client_for("directeur").post(
        _update_url(item),
        {"notes": "Bespreken op de directieraad", "version": item.version},
        **HTMX,
    )
    assert allowed.status_code == 200
    assert client_for("beheerder_stichting").get(_detail(group_plan)).status_code == 404


def test_the_group_plan_compares_with_all_schools_hours(client_for, group_plan):
    page = client_for("directeur").get(_detail(group_plan)).content.decode()
    assert 'data-figure="budget" data-value="840"' in page  # 420 + 300 + 120
    assert "De scholen zelf" in page


def test_group_view_shows_which_schools_run_a_task_and_why_pool_it(client_for):
    page = client_for("directeur").get(reverse("plan_group_overview")).content.decode()
    assert "Eerstelijns ICT-helpdesk" in page
    assert "schaalvoordeel" in page and "expertise" in page and "uitbesteedbaar" in page
    assert "Campus Noord" in page and "Basisschool De Linde" in page
    assert "Naar groepsniveau" in page
    candidates = (
        client_for("directeur")
        .get(reverse("plan_group_overview") + "?toon=kandidaten")
        .content.decode()
    )
    assert "Eerstelijns ICT-helpdesk" in candidates


def test_deciding_group_level_moves_the_task_to_the_group_plan(
    world, client_for, group_plan, noord_plan
):
    task = Task.objects.get(organisation=None, code="TEC-04")
    response = client_for("directeur").post(
        reverse("plan_group_decide", kwargs={"task_pk": task.pk}), {"decision": "group"}
    )
    assert response.status_code == 302
    assert group_plan.items.get(task=task).applies is True
    noord = item_of(noord_plan, "TEC-04")
    assert (noord.level, noord.sourcing) == ("group", "group")
    page = client_for("directeur").get(reverse("plan_group_overview")).content.decode()
    assert "Terug naar de scholen" in page


def test_group_view_is_for_the_organisation_wide_roles(client_for):
    for key in ("directie_noord", "ict_noord", "teamlid_noord"):
        assert client_for(key).get(reverse("plan_group_overview")).status_code == 404


def test_bulk_says_which_field_is_missing_and_keeps_the_ticked_tasks(client_for, zuid_plan):
    first = zuid_plan.items.order_by("task__domain__order", "task__code")
    ticked = list(first[:2])
    response = client_for("directie_zuid").post(
        reverse("plan_bulk_update", kwargs={"pk": zuid_plan.pk}),
        {"scope": "selected", "items": [i.pk for i in ticked], "action": ""},
        **HTMX,
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "Zet: " in html  # the field the message is about
    for item in ticked:
        assert f'value="{item.pk}" form="bulk-form" checked' in html
    assert f'value="{first[2].pk}" form="bulk-form" checked' not in html


def test_a_group_of_many_schools_reads_as_a_count_and_the_exceptions(world, client_for):
    """With 12 schools a task shows "11 van 12 scholen" and the one without it, not 11 badges
    (a group of 50 made the page 667 KB); the decision buttons share one form and token."""
    from teamwerk.core.testing.schools import add_schools_with_plans
    from teamwerk.tenancy.selectors import current_school_year

    year = current_school_year(world.organisation)
    add_schools_with_plans(world, 9)
    total = world.organisation.schools.filter(archived_at__isnull=True).count()
    helpdesk = Task.objects.get(organisation=None, code="TEC-04")
    in_schools = PlannedTask.objects.filter(
        task=helpdesk, plan__school_year=year, plan__school__isnull=False
    )
    in_schools.update(applies=True, horizon=Horizon.NOW)
    in_schools.filter(plan__school__name="Extra school 03").update(applies=False)
    page = client_for("directeur").get(reverse("plan_group_overview")).content.decode()
    row = page[page.index(f'id="task-{helpdesk.pk}"') :]
    row = row[: row.index("</tr>")]
    assert f"{total - 1} van {total} scholen" in row
    assert "Niet: Extra school 03" in row
    assert "badge text-bg-light" not in row  # no badge per school
    assert "csrfmiddlewaretoken" not in row  # one form and token around the table
    assert f'formaction="{reverse("plan_group_decide", args=[helpdesk.pk])}"' in row
