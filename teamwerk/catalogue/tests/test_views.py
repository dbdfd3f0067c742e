"""The catalogue pages: browse, search, filter, task details, role profiles, own tasks."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from teamwerk.catalogue.models import Domain, HiddenTask, Profile, Task
from teamwerk.catalogue.services import task_create_own

HTMX = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TARGET": "catalogue-results"}


def _index(client, query=""):
    return client.get(reverse("catalogue_index") + query).content.decode()


def _results(client, query):
    return client.get(reverse("catalogue_index") + query, **HTMX).content.decode()


def test_everyone_browses_the_catalogue_grouped_by_domain(client_for):
    page = _index(client_for("teamlid_noord"))
    for name in (
        "Beleid",
        "Ondersteuning op maat",
        "Pedagogisch-didactisch",
        "Technisch",
        "Professionalisering",
        "Overleg en samenwerking",
    ):
        assert name in page
    assert "64 taken" in page
    assert "Eerstelijns ICT-helpdesk" in page


def test_the_catalogue_speaks_english_too(client_for):
    client = client_for("teamlid_noord")
    client.cookies["django_language"] = "en"
    page = _index(client)
    assert "First-line ICT helpdesk" in page or "helpdesk" in page.lower()
    assert "Policy" in page


def test_live_search_returns_only_the_results(client_for):
    page = _results(client_for("ict_noord"), "?q=helpdesk")
    assert "<html" not in page
    assert "Eerstelijns ICT-helpdesk" in page
    assert "Vertrekken vanuit de gedeelde ICT-visie" not in page


def test_search_matches_codes_and_descriptions(client_for):
    page = _results(client_for("ict_noord"), "?q=TEC-06")
    assert "Website en sociale media beheren" in page and "1 taak" in page


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("?flags=core", "core"),
        ("?flags=strategic", "strategic"),
        ("?flags=technical", "technical"),
        ("?flags=pedagogical", "needs_pedagogical_qualification"),
        ("?flags=outsourceable", "outsourceable"),
    ],
)
def test_filter_by_flag(client_for, query, field):
    page = _results(client_for("ict_noord"), query)
    for task in Task.objects.filter(organisation=None):
        shown = f">{escape(task.title)}</a>" in page
        assert shown == getattr(task, field), task.code


def test_filters_combine_level_and_profile(client_for):
    page = _results(client_for("ict_noord"), "?level=group&profile=NET_ADMIN")
    expected = Task.objects.filter(
        organisation=None, usual_level="group", profiles__code="NET_ADMIN"
    )
    assert f"{expected.count()} taken" in page or f"{expected.count()} taak" in page
    for task in expected:
        assert escape(task.title) in page


def test_task_detail_shows_everything_about_a_task(client_for):
    task = Task.objects.get(organisation=None, code="TEC-04")
    page = (
        client_for("ict_noord")
        .get(reverse("catalogue_task", kwargs={"pk": task.pk}))
        .content.decode()
    )
    assert escape(task.description[:40]) in page
    assert "60 tot 200 uur per schooljaar" in page
    assert "Kerntaak" in page and "Kan uitbesteed worden" in page
    assert "Helpdeskmedewerker" in page
    assert "Modelfunctiebeschrijving ICT-coördinator" in page and "A.4.4" in page
    # ... and how the user's school decided it.
    assert "In het takenoverzicht van Campus Noord" in page


def test_profiles_page_lists_every_role_with_competences(client_for):
    page = client_for("lezer_noord").get(reverse("catalogue_profiles")).content.decode()
    for profile in Profile.objects.all():
        assert profile.name_nl in page
        assert escape(profile.competence_texts[0]) in page


def test_a_dutch_board_reads_the_role_profiles_in_its_own_words(client_for):
    """The catalogue file names teachers and their qualification as placeholders: a Flemish
    school reads "leraar" and "bewijs van pedagogische bekwaamheid", a Dutch one "docent"
    and "lesbevoegdheid"."""
    url = reverse("catalogue_profiles")
    flemish = client_for("lezer_noord").get(url).content.decode()
    dutch = client_for("beheerder_stichting").get(url).content.decode()
    assert "ervaring als leraar" in flemish and "bewijs van pedagogische bekwaamheid" in flemish
    assert "ervaring als docent" in dutch and "lesbevoegdheid" in dutch
    assert "leraar" not in dutch and "docent" not in flemish
    assert "{teacher" not in flemish + dutch


def test_own_tasks_stay_inside_the_organisation(world, client_for):
    task = task_create_own(
        actor=world.users["ict_noord"],
        organisation=world.organisation,
        school=world.noord,
        domain=Domain.objects.get(code="TEC"),
        title_nl="Smartboards nakijken",
    )
    assert "Smartboards nakijken" in _index(client_for("directie_zuid"))
    assert "Smartboards nakijken" not in _index(client_for("beheerder_stichting"))
    detail = reverse("catalogue_task", kwargs={"pk": task.pk})
    assert client_for("beheerder_stichting").get(detail).status_code == 404


def test_adding_and_editing_an_own_task(world, client_for):
    client = client_for("ict_noord")
    data = {
        "domain": Domain.objects.get(code="SUP").pk,
        "title_nl": "Ouders wegwijs maken in de schoolapp",
        "title_en": "",
        "description_nl": "Een infoavond en een korte handleiding.",
        "description_en": "",
        "usual_level": "school",
        "hours_min": 4,
        "hours_max": 10,
        "profiles": [Profile.objects.get(code="HELPDESK").pk],
    }
    response = client.post(reverse("catalogue_task_create"), data)
    task = Task.objects.get(title_nl="Ouders wegwijs maken in de schoolapp")
    assert response["Location"] == reverse("catalogue_task", kwargs={"pk": task.pk})
    assert task.organisation == world.organisation and task.code == "SUP-E01"
    assert list(task.profiles.values_list("code", flat=True)) == ["HELPDESK"]

    data["hours_max"] = 2
    data["version"] = task.version
    invalid = client.post(reverse("catalogue_task_edit", kwargs={"pk": task.pk}), data)
    assert "minstens zo groot" in invalid.content.decode()
    data["hours_max"] = 12
    client.post(reverse("catalogue_task_edit", kwargs={"pk": task.pk}), data)
    task.refresh_from_db()
    assert task.hours_max == 12


def test_standard_tasks_cannot_be_edited(client_for):
    task = Task.objects.get(organisation=None, code="POL-01")
    response = client_for("beheerder").get(reverse("catalogue_task_edit", kwargs={"pk": task.pk}))
    assert response.status_code == 404


def test_a_beheerder_hides_a_standard_task_and_shows_it_again(world, client_for):
    task = Task.objects.get(organisation=None, code="COO-08")
    client = client_for("beheerder")
    client.post(reverse("catalogue_task_hide", kwargs={"pk": task.pk}), {"hidden": "1"})
    assert HiddenTask.objects.filter(organisation=world.organisation, task=task).exists()
    page = _index(client_for("ict_noord"))
    assert "63 taken" in page and "1 standaardtaak is verborgen" in page
    # Other organisations still see it.
    assert "64 taken" in _index(client_for("beheerder_stichting"))
    client = client_for("beheerder")
    client.post(reverse("catalogue_task_hide", kwargs={"pk": task.pk}), {"hidden": "0"})
    assert not HiddenTask.objects.filter(organisation=world.organisation, task=task).exists()


def test_only_a_beheerder_may_hide(client_for):
    task = Task.objects.get(organisation=None, code="COO-08")
    for key in ("directeur", "ict_noord", "teamlid_noord"):
        response = client_for(key).post(
            reverse("catalogue_task_hide", kwargs={"pk": task.pk}), {"hidden": "1"}
        )
        assert response.status_code == 403
    assert not HiddenTask.objects.exists()


def test_catalogue_page_queries_do_not_grow_with_the_number_of_tasks(world, client_for):
    client = client_for("ict_noord")
    client.get(reverse("catalogue_index"))
    with CaptureQueriesContext(connection) as before:
        client.get(reverse("catalogue_index"))
    for number in range(20):
        task_create_own(
            actor=world.users["ict_noord"],
            organisation=world.organisation,
            school=world.noord,
            domain=Domain.objects.get(code="PRO"),
            title_nl=f"Eigen taak {number}",
            profiles=[Profile.objects.get(code="ICOACH")],
        )
    with CaptureQueriesContext(connection) as after:
        client.get(reverse("catalogue_index"))
    assert len(after) == len(before)


def _own_task_post(task, **overrides) -> dict:
    data = {
        "domain": task.domain_id,
        "title_nl": task.title_nl,
        "usual_level": task.usual_level,
        "hours_min": task.hours_min,
        "hours_max": task.hours_max,
        "version": task.version,
    }
    data.update(overrides)
    return data


def test_a_stale_own_task_form_is_refused_and_keeps_the_input(world, client_for):
    from django.test import Client

    from teamwerk.catalogue.services import task_create_own

    task = task_create_own(
        actor=world.users["beheerder"],
        organisation=world.organisation,
        domain=Domain.objects.get(code="SUP"),
        title_nl="Schoolapp voor ouders",
        hours_min=2,
        hours_max=6,
    )
    url = reverse("catalogue_task_edit", kwargs={"pk": task.pk})
    first, second = Client(), Client()
    first.force_login(world.users["beheerder"])
    second.force_login(world.users["directeur"])
    seen = _own_task_post(task)
    assert first.post(url, {**seen, "title_nl": "Schoolapp: ouderavond"}).status_code == 302
    stale = second.post(url, {**seen, "title_nl": "Schoolapp: handleiding", "hours_max": 8})
    page = stale.content.decode()
    assert stale.status_code == 409
    assert "Iemand anders heeft dit intussen gewijzigd" in page
    assert "Schoolapp: ouderavond" in page  # what is stored now
    assert 'value="Schoolapp: handleiding"' in page  # the user's input, kept in the form
    task.refresh_from_db()
    assert (task.title_nl, task.hours_max) == ("Schoolapp: ouderavond", 6)
    without = _own_task_post(task, title_nl="Zonder versie")
    without.pop("version")
    assert second.post(url, without).status_code == 409
    task.refresh_from_db()
    assert task.title_nl == "Schoolapp: ouderavond"


def test_own_task_hours_out_of_range_are_refused(world, client_for):
    from teamwerk.catalogue.services import task_create_own

    task = task_create_own(
        actor=world.users["beheerder"],
        organisation=world.organisation,
        domain=Domain.objects.get(code="SUP"),
        title_nl="Schoolapp voor ouders",
        hours_min=2,
        hours_max=6,
    )
    client = client_for("beheerder")
    url = reverse("catalogue_task_edit", kwargs={"pk": task.pk})
    for value in ("2001", "1e20", "NaN", "Infinity", "2.5", "9" * 5000):
        response = client.post(url, _own_task_post(task, hours_max=value))
        assert response.status_code == 200, value
        assert "Vul een getal in van 0 tot en met 2.000." in response.content.decode()
    task.refresh_from_db()
    assert task.hours_max == 6 and task.version == 1
