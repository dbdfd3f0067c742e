"""A form error is always visible next to its field: an error in the closed "per taak
verfijnen" section opens it, is listed on top with a link to the field, and nothing is lost."""

from __future__ import annotations

from django.urls import reverse


def _filled(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        data[name] = "" if value is None else value
    return data


def test_an_error_inside_per_task_refinement_opens_it_and_is_listed(client_for, world):
    client = client_for("teamlid_noord")
    page = client.get(reverse("team_my_competences"), follow=True)
    url = page.redirect_chain[-1][0]
    form = page.context["form"]
    task = form.tasks[0]
    data = {**_filled(form), f"t{task.pk}_expertise": "2", f"t{task.pk}_motivation": ""}
    data["version"] = form["version"].value() if "version" in form.fields else ""

    response = client.post(url, data)
    assert response.status_code in (200, 422)
    html = response.content.decode()
    assert 'id="competence-errors"' in html  # on top: nothing was saved, and why
    field_id = form[f"t{task.pk}_motivation"].id_for_label
    assert f'href="#{field_id}"' in html  # a link straight to the field
    # The section holding the error is rendered open, with the error next to the field.
    details = html[: html.find(f'id="{field_id}"')].rsplit("<details", 1)[1]
    assert details.startswith(' class="mt-3" open data-has-error')
    assert "data-field-error" in html[html.find(f'id="{field_id}"') :][:800]
    # What was typed stays in the form.
    assert (
        '<option value="2" selected>'
        in html[html.find(f'id="{form[f"t{task.pk}_expertise"].id_for_label}"') :][:600]
    )
    # Sections without errors stay closed.
    assert html.count("open data-has-error") == 1
