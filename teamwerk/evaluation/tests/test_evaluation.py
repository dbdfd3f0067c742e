"""Evaluation rounds: anonymity by design, the 3-answer threshold, answering once, who sees
what, the step-8 evidence and the demo."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone

from teamwerk.evaluation import selectors, services
from teamwerk.evaluation.content import ContentError, default_content, loads_content
from teamwerk.evaluation.models import (
    Answer,
    Participation,
    Response,
    Round,
    RoundQuestion,
)
from teamwerk.team.models import Person

pytestmark = pytest.mark.django_db

TOM = "teamlid.noord@scholengroep-demo.be"


def _noord_team(world, count=None, *, include_tom=True):
    people = list(
        Person.objects.filter(
            availabilities__school=world.noord, availabilities__hours_available__gt=0
        )
        .distinct()
        .order_by("pk")
    )
    if not include_tom:
        people = [p for p in people if p.email != TOM]
    return people[:count] if count else people


def _answers(round_, value=4, comment=""):
    data = {}
    for question in round_.questions.all():
        data[question.code] = str(value) if question.kind == "scale" else comment
    return data


def _new_round(world, people, *, title="Testronde", user=None):
    return services.round_create(
        user=user or world.users["ict_noord"],
        organisation=world.organisation,
        school=world.noord,
        title=title,
        set_key="pulse",
        closes_on=timezone.localdate() + dt.timedelta(days=7),
        people=people,
        send=False,
    )


def _closed(world):
    return Round.objects.get(school=world.noord, title="Evaluatie ICT-team, einde schooljaar")


def _open(world):
    return Round.objects.get(school=world.noord, title="Tussentijdse evaluatie")


# ------------------------------------------------------------------------ anonymity


@pytest.mark.parametrize("model", [Response, Answer])
def test_answer_rows_have_no_path_to_a_user_or_person_and_no_time(model):
    for field in model._meta.get_fields():
        if field.is_relation and field.related_model is not None:
            # Only the round, the round's question and the response itself.
            assert field.related_model._meta.label in {
                "evaluation.Round",
                "evaluation.RoundQuestion",
                "evaluation.Response",
                "evaluation.Answer",
            }, f"{model.__name__}.{field.name} points to {field.related_model._meta.label}"
        assert not isinstance(field, models.DateField | models.DateTimeField | models.TimeField), (
            f"{model.__name__}.{field.name} stores a time"
        )
    # Random ids: the order of the rows says nothing about who answered when.
    assert isinstance(model._meta.pk, models.UUIDField)
    # No history table either (it would date every answer).
    assert not hasattr(model, "history")


def test_who_answered_is_kept_apart_without_history_or_time():
    fields = {f.name: f for f in Participation._meta.get_fields()}
    assert not hasattr(Participation, "history")
    assert not any(isinstance(f, models.DateField | models.DateTimeField) for f in fields.values())
    # Nothing in the participation points to a response, nor the other way round.
    assert not any(f.is_relation and f.related_model in (Response, Answer) for f in fields.values())


def test_nothing_stored_with_an_answer_names_or_links_the_person(world):
    people = _noord_team(world, 3)
    new_round, tokens = _new_round(world, people)
    for index, person in enumerate(people):
        services.response_submit(
            token=tokens[person.pk], data=_answers(new_round, 3 + index % 2, "Prima zo.")
        )
    stored = []
    for response in Response.objects.filter(round=new_round):
        stored += [str(getattr(response, f.attname)) for f in Response._meta.concrete_fields]
        for answer in response.answers.all():
            stored += [str(getattr(answer, f.attname)) for f in Answer._meta.concrete_fields]
    participations = Participation.objects.filter(round=new_round)
    linking = set()
    for p in participations:
        linking |= {str(p.pk), str(p.person_id), p.token_hash, p.person.email}
        linking |= {p.person.first_name, p.person.last_name}
        if p.person.user_id:
            linking.add(str(p.person.user_id))
    # Ids of 1..3 could collide with small numbers (scale values); compare whole words only.
    assert not (set(stored) & {x for x in linking if len(x) > 3})
    # The key is an HMAC of the token the link holds, not of anything the database holds.
    keys = set(Response.objects.filter(round=new_round).values_list("key", flat=True))
    assert keys == {services.response_key(new_round.pk, tokens[p.pk]) for p in people}
    for p in participations:
        assert services.response_key(new_round.pk, p.token_hash) not in keys
        assert services.response_key(new_round.pk, str(p.person_id)) not in keys


def test_pages_of_a_round_never_say_who_answered(world, client_for):
    closed = _closed(world)
    asked = list(Participation.objects.filter(round=closed).select_related("person"))
    names = {
        p.person.last_name for p in asked if p.person.email != "ict.noord@scholengroep-demo.be"
    }
    client = client_for("ict_noord")
    for url in (
        reverse("evaluation_round", kwargs={"pk": closed.pk}),
        reverse("evaluation_results", kwargs={"pk": closed.pk}),
        reverse("evaluation_index"),
    ):
        page = client.get(url).content.decode()
        for name in names:
            assert name not in page, f"{name} on {url}"


def test_results_are_not_cached(world, client_for):
    response = client_for("ict_noord").get(
        reverse("evaluation_results", kwargs={"pk": _closed(world).pk})
    )
    assert "no-store" in response["Cache-Control"]


# ------------------------------------------------------------------ the threshold


def test_two_answers_show_only_the_count(world, client_for):
    zuid = Round.objects.get(school=world.zuid)
    response = client_for("directie_zuid").get(
        reverse("evaluation_results", kwargs={"pk": zuid.pk})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "data-withheld" in page
    assert "2 antwoorden" in page
    assert "data-mean" not in page and "data-comments" not in page and "<svg" not in page
    data = selectors.round_results(world.users["directie_zuid"], zuid)
    assert not data.shown
    assert all(q.mean is None and not q.bars and not q.comments for q in data.questions)


def test_from_three_answers_the_result_shows(world):
    people = _noord_team(world, 3)
    new_round, tokens = _new_round(world, people)
    for value, person in zip((2, 4, 5), people, strict=True):
        services.response_submit(token=tokens[person.pk], data=_answers(new_round, value))
    new_round = services.round_close(user=world.users["ict_noord"], round_=new_round)
    data = selectors.round_results(world.users["ict_noord"], new_round)
    assert data.shown and data.answers == 3
    scale = next(q for q in data.questions if q.question.kind == "scale")
    assert str(scale.mean) == "3.7"
    assert [(b.value, b.count) for b in scale.bars] == [(1, 0), (2, 1), (3, 0), (4, 1), (5, 1)]


def test_a_question_with_fewer_than_three_comments_shows_none(world):
    people = _noord_team(world, 3)
    new_round, tokens = _new_round(world, people)
    for person, comment in zip(people, ("Meer overleg.", "Meer uren.", ""), strict=True):
        services.response_submit(token=tokens[person.pk], data=_answers(new_round, 4, comment))
    new_round = services.round_close(user=world.users["ict_noord"], round_=new_round)
    data = selectors.round_results(world.users["ict_noord"], new_round)
    comments = next(q for q in data.questions if q.question.kind == "open")
    assert data.shown and comments.count == 2
    assert not comments.shown and comments.comments == []


def test_groups_show_only_when_every_group_has_three(world):
    """With one group below 3, the other group's figure plus the total would give it away,
    so no group figure shows at all."""
    people = _noord_team(world)
    leading = [p for p in people if p.email in ("ict.noord@scholengroep-demo.be",)]
    team = [p for p in people if p not in leading][:4]
    new_round, tokens = _new_round(world, leading + team)
    for person in leading + team:
        services.response_submit(token=tokens[person.pk], data=_answers(new_round, 4))
    new_round = services.round_close(user=world.users["ict_noord"], round_=new_round)
    data = selectors.round_results(world.users["ict_noord"], new_round)
    assert data.shown and data.answers == 5
    assert not data.groups_shown
    assert all(q.groups == [] for q in data.questions)


def test_groups_show_when_each_has_three(world):
    people = _noord_team(world)
    new_round, tokens = _new_round(world, people[:6])
    Participation.objects.filter(round=new_round, person__in=people[:3]).update(group="leiding")
    Participation.objects.filter(round=new_round, person__in=people[3:6]).update(group="team")
    for index, person in enumerate(people[:6]):
        services.response_submit(
            token=tokens[person.pk], data=_answers(new_round, 5 if index < 3 else 3)
        )
    new_round = services.round_close(user=world.users["ict_noord"], round_=new_round)
    data = selectors.round_results(world.users["ict_noord"], new_round)
    assert data.groups_shown
    scale = next(q for q in data.questions if q.question.kind == "scale")
    assert [(label, str(mean)) for label, mean in scale.groups] == [
        ("Directie en ICT-coördinatie", "5.0"),
        ("Teamleden", "3.0"),
    ]


# ------------------------------------------------------------------ answering once


def test_a_second_submit_replaces_the_answer(world):
    people = _noord_team(world, 3)
    new_round, tokens = _new_round(world, people)
    token = tokens[people[0].pk]
    assert services.response_submit(token=token, data=_answers(new_round, 2)) is False
    assert services.response_submit(token=token, data=_answers(new_round, 5)) is True
    assert Response.objects.filter(round=new_round).count() == 1
    values = set(Answer.objects.filter(response__round=new_round).values_list("value", flat=True))
    assert values == {5}
    assert Participation.objects.get(round=new_round, person=people[0]).answered


def test_an_answered_person_cannot_start_a_second_response(world):
    tom = Person.objects.get(email=TOM)
    new_round, tokens = _new_round(world, [tom])
    services.response_submit(token=tokens[tom.pk], data=_answers(new_round, 3))
    participation = Participation.objects.get(round=new_round, person=tom)
    with pytest.raises(ValidationError):
        services.participation_new_link(
            user=world.users["teamlid_noord"], participation=participation
        )
    # Even a link made behind the app's back finds no way to add a second response.
    other = services.new_token()
    Participation.objects.filter(pk=participation.pk).update(token_hash=services.token_hash(other))
    with pytest.raises(ValidationError):
        services.response_submit(token=other, data=_answers(new_round, 1))
    assert Response.objects.filter(round=new_round).count() == 1


def test_someone_else_cannot_take_over_a_persons_link(world):
    tom = Person.objects.get(email=TOM)
    new_round, _tokens = _new_round(world, [tom])
    participation = Participation.objects.get(round=new_round, person=tom)
    with pytest.raises(PermissionDenied):
        services.participation_new_link(user=world.users["ict_noord"], participation=participation)


def test_a_closed_round_takes_no_answers(world):
    people = _noord_team(world, 3)
    new_round, tokens = _new_round(world, people)
    new_round = services.round_close(user=world.users["ict_noord"], round_=new_round)
    with pytest.raises(ValidationError):
        services.response_submit(token=tokens[people[0].pk], data=_answers(new_round, 3))


def test_every_scale_answer_is_bounded(world):
    people = _noord_team(world, 1)
    new_round, tokens = _new_round(world, people)
    data = _answers(new_round, 3)
    code = next(q.code for q in new_round.questions.all() if q.kind == "scale")
    for bad in ("0", "6", "3.5", "", "x" * 40):
        with pytest.raises(ValidationError):
            services.response_submit(token=tokens[people[0].pk], data={**data, code: bad})
    assert not Response.objects.filter(round=new_round).exists()


def test_the_answer_page_through_the_home_button(world, client_for):
    client = client_for("teamlid_noord")
    open_round = _open(world)
    response = client.post(reverse("evaluation_answer_start", kwargs={"pk": open_round.pk}))
    assert response.status_code == 302
    link = response["Location"]
    page = client.get(link)
    assert page.status_code == 200 and "no-store" in page["Cache-Control"]
    assert "Tom" not in page.content.decode().split('id="main"')[1]
    posted = client.post(link, _answers(open_round, 4, "Goed bezig"))
    assert posted.status_code == 302
    assert open_round.responses.count() == 3
    again = client.post(link, _answers(open_round, 2))
    assert again.status_code == 302 and open_round.responses.count() == 3
    # The old link of the e-mail (replaced by the button) no longer works.
    assert Participation.objects.get(round=open_round, person__email=TOM).answered


def test_a_replaced_link_says_so(client):
    response = client.get(reverse("evaluation_answer", kwargs={"token": "not-a-token"}))
    assert response.status_code == 404


# ------------------------------------------------------------------- who sees what


def test_teamlid_sees_results_once_closed(world, client_for):
    client = client_for("teamlid_noord")
    assert (
        client.get(reverse("evaluation_results", kwargs={"pk": _open(world).pk})).status_code == 403
    )
    closed = client.get(reverse("evaluation_results", kwargs={"pk": _closed(world).pk}))
    assert closed.status_code == 200 and "data-mean" in closed.content.decode()


def test_lezer_sees_results_and_other_school_gets_404(world, client_for):
    url = reverse("evaluation_results", kwargs={"pk": _closed(world).pk})
    assert client_for("lezer_noord").get(url).status_code == 200
    assert client_for("directie_zuid").get(url).status_code == 404
    assert client_for("beheerder_stichting").get(url).status_code == 404


def test_round_create_through_the_page_sends_personal_links(
    world, client_for, django_capture_on_commit_callbacks
):
    client = client_for("ict_noord")
    people = _noord_team(world, 3)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("evaluation_round_create"),
            {
                "title": "Peiling na de kerstvakantie",
                "set_key": "pulse",
                "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
                "people": [str(p.pk) for p in people],
            },
        )
    assert response.status_code == 302
    created = Round.objects.get(title="Peiling na de kerstvakantie")
    assert created.participations.count() == 3
    assert created.questions.count() == len(default_content().sets["pulse"].questions)
    with_address = [p for p in people if p.email]
    assert len(mail.outbox) == len(with_address)
    links = [m.body for m in mail.outbox]
    assert all("/evaluatie/antwoord/" in body for body in links)


def test_the_coordinator_is_told_who_gets_no_link(world, client_for):
    """Someone without an address and without an account cannot be reached: the message says
    so instead of counting them among those who got a link."""
    people = _noord_team(world, 3)
    unreachable = people[0]
    Person.objects.filter(pk=unreachable.pk).update(email="", user=None)
    response = client_for("ict_noord").post(
        reverse("evaluation_round_create"),
        {
            "title": "Peiling met een onbereikbare collega",
            "set_key": "pulse",
            "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "people": [str(p.pk) for p in people],
        },
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    mailed = sum(1 for p in people[1:] if p.email)
    assert any(f": {mailed} mensen kregen hun persoonlijke link per e-mail" in m for m in said)
    warning = "1 gevraagde mensen hebben geen e-mailadres en geen account"
    assert any(m.startswith(warning) for m in said)


def test_people_of_another_school_cannot_be_asked(world, client_for):
    stranger = Person.objects.filter(organisation=world.other_organisation).first()
    response = client_for("ict_noord").post(
        reverse("evaluation_round_create"),
        {
            "title": "X",
            "set_key": "pulse",
            "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "people": [str(stranger.pk)],
        },
    )
    assert response.status_code == 200
    assert not Round.objects.filter(title="X").exists()


# --------------------------------------------------------------- questions, versions


def test_hidden_and_own_questions_shape_the_next_round_only(world):
    user = world.users["ict_noord"]
    before, _tokens = _new_round(world, _noord_team(world, 1), title="Voor")
    services.question_hide(
        user=user,
        organisation=world.organisation,
        school=world.noord,
        code="load_hours",
        hidden=True,
    )
    services.custom_question_add(
        user=user,
        organisation=world.organisation,
        school=world.noord,
        text="Werkt de nieuwe helpdesk?",
        kind="scale",
    )
    after, _tokens = _new_round(world, _noord_team(world, 1), title="Na")
    codes_before = set(before.questions.values_list("code", flat=True))
    codes_after = set(after.questions.values_list("code", flat=True))
    assert "load_hours" in codes_before and "load_hours" not in codes_after
    assert any(code.startswith("own-") for code in codes_after)
    assert not any(code.startswith("own-") for code in codes_before)
    assert after.settings_version == before.settings_version + 2


def test_a_teamlid_cannot_change_the_questions(world):
    with pytest.raises(PermissionDenied):
        services.question_hide(
            user=world.users["teamlid_noord"],
            organisation=world.organisation,
            school=world.noord,
            code="load_hours",
            hidden=True,
        )


def test_content_file_is_checked():
    content = default_content()
    assert {"full", "pulse"} <= set(content.sets)
    assert all(q.text.nl and q.text.en for q in content.questions.values())
    with pytest.raises(ContentError):
        loads_content('version = 1\n[[sets]]\nkey = "x"\nquestions = ["nope"]\n')


# ------------------------------------------------------ comparison, step 8, actions


def test_results_compare_with_the_earlier_round(world, client_for):
    page = (
        client_for("ict_noord")
        .get(reverse("evaluation_results", kwargs={"pk": _closed(world).pk}))
        .content.decode()
    )
    assert 'id="evaluation-trend"' in page and "<svg" in page
    assert "data-dropped" in page and "herneem stap 7" in page


def test_step8_evidence_names_the_last_round_and_the_step_to_go_back_to(world):
    latest = selectors.latest_evaluation(world.noord)
    assert latest.round == _closed(world)
    assert latest.answers == 8
    assert latest.back_to_step == 7
    assert latest.dropped == (
        RoundQuestion.objects.get(round=latest.round, code="agree_backup").text_nl,
    )
    evidence = selectors.step8_evidence(world.noord)
    assert evidence["summary"].startswith("Laatste evaluatie:")
    assert "8 antwoorden" in evidence["summary"] and "stap 7" in evidence["summary"]
    assert evidence["hint"] is False
    # Campus Zuid's round has 2 answers: it tells nothing yet.
    assert selectors.latest_evaluation(world.zuid) is None


def test_step8_on_the_route_page_links_to_the_rounds(world, client_for):
    page = (
        client_for("directie_noord")
        .get(reverse("stappenplan_step", kwargs={"school_id": world.noord.pk, "number": 8}))
        .content.decode()
    )
    assert "Laatste evaluatie:" in page
    assert reverse("evaluation_index") in page


def test_an_action_from_a_result(world, client_for):
    from teamwerk.actions.models import Action

    closed = _closed(world)
    response = client_for("ict_noord").post(
        reverse("evaluation_make_action", kwargs={"pk": closed.pk}),
        {"title": "Back-ups per taak samen oefenen", "question": "agree_backup"},
    )
    assert response.status_code == 302
    action = Action.objects.get(title="Back-ups per taak samen oefenen")
    assert action.source == "evaluation" and action.school == world.noord
    assert action.source_url == reverse("evaluation_results", kwargs={"pk": closed.pk})


# ------------------------------------------------------------------ home, demo, mail


def test_home_rounds_lists_the_open_round_for_tom(world):
    rows = selectors.home_rounds(world.users["teamlid_noord"], world.noord)
    assert [(r["round"].title, r["answered"]) for r in rows] == [("Tussentijdse evaluatie", False)]
    assert selectors.home_rounds(world.users["lezer_noord"], world.noord) == []


def test_home_card_tag(world, rf):
    from django.template import Context, Template

    request = rf.get("/")
    request.user = world.users["teamlid_noord"]
    template = Template("{% load evaluation_tags %}{% evaluation_home_card %}")
    html = template.render(Context({"request": request, "current_school": world.noord}))
    assert "Tussentijdse evaluatie" in html and "Nu invullen" in html
    request.user = world.users["lezer_noord"]
    assert "data-home-evaluation" not in template.render(
        Context({"request": request, "current_school": world.noord})
    )


def test_demo_rounds(world):
    noord = {r.title: r for r in Round.objects.filter(school=world.noord)}
    counts = sorted(r.responses.count() for r in noord.values() if r.is_closed())
    assert counts == [6, 8]
    assert sum(r.is_open() for r in noord.values()) == 1
    assert Round.objects.get(school=world.zuid).responses.count() == 2


def test_people_with_an_account_get_one_reminder_through_the_daily_job(world):
    from teamwerk.actions.reminders import due_items, reminders_send

    open_round = _open(world)
    tom = world.users["teamlid_noord"]
    today = timezone.localdate()
    mine = due_items(start=today, end=open_round.closes_on, user=tom)
    assert [(d.kind, d.ref) for d in mine if d.kind == "evaluation.round"] == [
        ("evaluation.round", str(open_round.pk))
    ]
    waiting = set(
        Participation.objects.filter(
            round=open_round, answered=False, person__user__isnull=False
        ).values_list("person__user__email", flat=True)
    )
    near = timezone.make_aware(
        dt.datetime.combine(open_round.closes_on - dt.timedelta(days=1), dt.time(9))
    )
    reminders_send(now=near)
    reminded = {m.to[0] for m in mail.outbox if "Evaluatie van het ICT-team" in m.subject}
    assert reminded == waiting
    count = len(mail.outbox)
    reminders_send(now=near)
    assert len(mail.outbox) == count
    # Once answered, no reminder and no date in the calendar.
    link = services.participation_new_link(
        user=tom, participation=Participation.objects.get(round=open_round, person__user=tom)
    )
    services.response_submit(token=link, data=_answers(open_round, 4))
    assert not [
        d
        for d in due_items(start=today, end=open_round.closes_on, user=tom)
        if d.kind == "evaluation.round"
    ]


def test_people_without_an_account_get_one_reminder_with_a_new_link(
    world, django_capture_on_commit_callbacks
):
    from teamwerk.evaluation.reminders import remind_without_account

    people = _noord_team(world)
    without = [p for p in people if p.user_id is None][:2]
    for index, person in enumerate(without):
        person.email = f"zonder.account.{index}@scholengroep-demo.be"
        person.save(update_fields=["email"])
    new_round, tokens = _new_round(world, without)
    services.response_submit(token=tokens[without[1].pk], data=_answers(new_round, 4))
    near = timezone.now() + dt.timedelta(days=5)
    with django_capture_on_commit_callbacks(execute=True):
        first = remind_without_account(now=near)
        second = remind_without_account(now=near)
    assert first == {"sent": 1} and second == {"sent": 0}
    assert [m.to for m in mail.outbox] == [[without[0].email]]
    # The reminder carries a new link; the first one no longer opens the round.
    assert services.participation_for_token(tokens[without[0].pk]) is None
    assert "/evaluatie/antwoord/" in mail.outbox[0].body


# ------------------------------------------------------------------------- exports


def test_a_persons_data_export_holds_that_they_were_asked_but_not_what_they_answered(world):
    from teamwerk.privacy.selectors import person_data

    people = _noord_team(world, 3)
    new_round, tokens = _new_round(world, people)
    for person in people:
        services.response_submit(
            token=tokens[person.pk], data=_answers(new_round, 2, "Een opmerking van mij")
        )
    sections = {s.label: s for s in person_data(people[0])}
    assert "evaluation.participation" in sections
    assert not {"evaluation.response", "evaluation.answer"} & set(sections)
    assert "Een opmerking van mij" not in str([s.rows for s in sections.values()])


def test_the_organisation_archive_keeps_answers_apart_from_people(world):
    import io
    import json
    import zipfile

    from teamwerk.privacy.archive import organisation_export

    buffer = io.BytesIO()
    organisation_export(organisation=world.organisation, target=buffer)
    with zipfile.ZipFile(buffer) as archive:
        responses = [
            json.loads(line)
            for line in archive.read("data/evaluation.response.jsonl").decode().splitlines()
        ]
        answers = [
            json.loads(line)
            for line in archive.read("data/evaluation.answer.jsonl").decode().splitlines()
        ]
    assert len(responses) == 6 + 8 + 2 + 2
    assert all(set(row) == {"id", "round_id", "key", "group"} for row in responses)
    assert all(set(row) == {"id", "response_id", "question_id", "value", "text"} for row in answers)


def test_a_group_round_is_run_by_the_organisation_wide_directie(world, client_for):
    people = _noord_team(world, 2) + list(
        Person.objects.filter(availabilities__school=world.zuid).distinct()[:1]
    )
    client = client_for("directeur")
    response = client.post(
        reverse("evaluation_round_create") + "?groep=1",
        {
            "title": "Evaluatie van de groepstaken",
            "set_key": "pulse",
            "closes_on": (timezone.localdate() + dt.timedelta(days=10)).isoformat(),
            "people": [str(p.pk) for p in people],
        },
    )
    assert response.status_code == 302
    group_round = Round.objects.get(title="Evaluatie van de groepstaken")
    assert group_round.school is None and group_round.participations.count() == 3
    page = client.get(reverse("evaluation_index") + "?groep=1").content.decode()
    assert "Evaluatie van de groepstaken" in page
    # A school's directie may not start one for the group.
    refused = client_for("directie_noord").post(
        reverse("evaluation_round_create") + "?groep=1",
        {"title": "Niet van mij", "set_key": "pulse", "people": [str(people[0].pk)]},
    )
    assert refused.status_code == 403


def test_the_answer_page_in_english(world, client):
    people = _noord_team(world, 1)
    new_round, tokens = _new_round(world, people)
    client.cookies["django_language"] = "en"
    page = client.get(reverse("evaluation_answer", kwargs={"token": tokens[people[0].pk]}))
    body = page.content.decode()
    assert page.status_code == 200
    assert "Cooperation within the ICT team runs smoothly." in body
    assert "Your answers are stored anonymously" in body
    assert "strongly agree" in body


def test_close_and_reopen_a_round(world, client_for):
    client = client_for("directie_noord")
    open_round = _open(world)
    url = reverse("evaluation_round_status", kwargs={"pk": open_round.pk})
    client.post(url, {"to": "closed"})
    open_round.refresh_from_db()
    assert open_round.is_closed() and open_round.closed_on == timezone.localdate()
    # The teamlid now sees the result of the closed round (count only: 2 answers).
    page = client_for("teamlid_noord").get(
        reverse("evaluation_results", kwargs={"pk": open_round.pk})
    )
    assert page.status_code == 200 and "data-withheld" in page.content.decode()
    later = timezone.localdate() + dt.timedelta(days=5)
    client_for("directie_noord").post(url, {"to": "open", "closes_on": later.isoformat()})
    open_round.refresh_from_db()
    assert open_round.is_open() and open_round.closes_on == later


def test_an_open_round_shows_no_intermediate_result_even_with_enough_answers(world, client_for):
    """Two intermediate results a day apart would show what the one person in between
    answered: while the round is open, whoever runs it and the lezer see only the count."""
    people = _noord_team(world, 4)
    new_round, tokens = _new_round(world, people)
    for person in people[:3]:
        services.response_submit(token=tokens[person.pk], data=_answers(new_round, 4, "Goed"))
    url = reverse("evaluation_results", kwargs={"pk": new_round.pk})
    for reader in ("ict_noord", "directie_noord", "lezer_noord"):
        assert not selectors.round_results(world.users[reader], new_round).shown
        page = client_for(reader).get(url).content.decode()
        assert "data-withheld" in page and "wanneer de ronde sluit" in page
        assert "data-mean" not in page and "Goed" not in page
    services.response_submit(token=tokens[people[3].pk], data=_answers(new_round, 2))
    new_round = services.round_close(user=world.users["ict_noord"], round_=new_round)
    page = client_for("lezer_noord").get(url).content.decode()
    assert "data-withheld" not in page and "data-mean" in page and "4 antwoorden" in page


def test_a_round_that_showed_results_does_not_open_again(world, client_for):
    people = _noord_team(world, 3)
    new_round, tokens = _new_round(world, people)
    for person in people:
        services.response_submit(token=tokens[person.pk], data=_answers(new_round, 4))
    new_round = services.round_close(user=world.users["ict_noord"], round_=new_round)
    client = client_for("ict_noord")
    round_page = client.get(reverse("evaluation_round", kwargs={"pk": new_round.pk}))
    assert "Opnieuw openen" not in round_page.content.decode()
    later = timezone.localdate() + dt.timedelta(days=5)
    answer = client.post(
        reverse("evaluation_round_status", kwargs={"pk": new_round.pk}),
        {"to": "open", "closes_on": later.isoformat()},
        follow=True,
    )
    assert "toonde al resultaten" in answer.content.decode()
    new_round.refresh_from_db()
    assert new_round.is_closed()
    # The next round is the way to measure again.
    assert "Start een nieuwe ronde" in answer.content.decode()
