"""Conversations: the guide's content, key figures, who reads a conversation's record, and an
agreement that becomes an action."""

from __future__ import annotations

import datetime as dt
import tomllib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from teamwerk.accounts.models import AuditEvent, User
from teamwerk.conversations import content, selectors, services
from teamwerk.conversations.models import Conversation, ConversationAgreement, KeyFigureRole
from teamwerk.team.models import Person
from teamwerk.tenancy.models import Membership
from teamwerk.tenancy.roles import Role

pytestmark = pytest.mark.django_db

PRIVACY_NOTES = "apps die leraren zelf kiezen"
LEARNING_NOTES = "differentiëren met de leeromgeving"


def _privacy(world) -> Conversation:
    return Conversation.objects.get(school=world.noord, subject__startswith="Privacy")


def _learning(world) -> Conversation:
    return Conversation.objects.get(school=world.noord, subject__startswith="Wat willen")


def _person(first: str, last: str) -> Person:
    return Person.objects.get(first_name=first, last_name=last)


@pytest.fixture
def ict_zuid(world):
    """The ICT coordinator of the sister school (Campus Zuid), made for the attack tests."""
    user = User.objects.create_user(email="ict.zuid@scholengroep-demo.be", password="x")
    Membership.objects.create(
        user=user, organisation=world.organisation, school=world.zuid, role=Role.ICT
    )
    return user


# ---------------------------------------------------------------------------- the guide


def test_every_text_of_the_guide_has_dutch_and_english():
    raw = tomllib.loads(content.GUIDE_FILE.read_text(encoding="utf-8"))
    texts = content.text_nodes(raw)
    assert len(texts) > 100
    missing = [
        (path, lang)
        for path, node in texts
        for lang in ("nl", "en")
        if not (node.get(lang) or "").strip()
    ]
    assert missing == []
    # And the same text is not left untranslated (an English copy of the Dutch).
    same = [path for path, node in texts if node["nl"] == node["en"] and len(node["nl"]) > 20]
    assert same == []


def test_the_guide_holds_the_key_figures_main_questions_topics_and_pdca():
    guide = content.load_guide()
    assert content.figure_codes() == [
        "leraar",
        "icoach",
        "schoolleider",
        "bestuurder",
        "hr",
        "beleidsadviseur",
        "informatiemanager",
        "ibp",
    ]
    assert content.question_codes() == ["1a", "2a", "2b", "3", "4"]
    assert content.topic_codes() == [
        "1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "2.4", "2.5", "3.1", "3.2", "3.3", "4.1", "4.2"
    ]  # fmt: skip
    assert [step["code"] for step in guide["pdca"]] == ["plan", "do", "check", "act"]
    assert len(guide["start"]["questions"]) >= 4
    board = {f["code"] for f in guide["figures"] if f["group"] == "board"}
    assert {"hr", "beleidsadviseur", "informatiemanager", "ibp", "bestuurder"} <= board
    for figure in guide["figures"]:
        assert figure["prepare"] and figure["questions"]
    for question in guide["questions"]:
        assert question["tips"] and question["topics"]


def test_a_guide_with_a_missing_translation_or_an_unknown_question_is_refused():
    text = content.GUIDE_FILE.read_text(encoding="utf-8")
    broken = text.replace(
        'en = "Write down two or three things you want to be able to do with ICT in your lessons."',
        'en = ""',
    ).replace('questions = ["2a", "3", "4"]', 'questions = ["2a", "9"]')
    assert broken != text
    with pytest.raises(content.GuideError) as error:
        content.loads_guide(broken)
    problems = "\n".join(error.value.problems)
    assert "figures[0].prepare[0]: no en text" in problems
    assert "figure informatiemanager: questions missing or unknown ['9']" in problems


def test_the_guide_speaks_the_regions_words_in_the_users_language(world):
    from django.utils import translation

    flemish = content.guide_for(world.organisation)
    dutch = content.guide_for(world.other_organisation)
    assert flemish.figure("leraar")["name"] == "Leraar"
    assert dutch.figure("leraar")["name"] == "Docent"
    assert "docenten" in dutch.figure("icoach")["summary"]
    assert "leraren" in flemish.figure("icoach")["summary"]
    with translation.override("en"):
        english = content.guide_for(world.organisation)
    assert english.figure("leraar")["name"] == "Teacher"
    assert english.question("2b")["title"] == "Learning about technology together"


def test_a_key_figure_page_shows_what_to_prepare_and_its_questions(client_for):
    client = client_for("lezer_noord")
    response = client.get(reverse("conversations_figure", args=["ibp"]))
    assert response.status_code == 200
    body = response.content.decode()
    assert "IBP-functionaris" in body
    assert "Verzamel de privacyvragen" in body  # what to prepare
    assert "Hoofdvraag 2a" in body and "Randvoorwaarden mogelijk maken" in body  # topic 2.2
    assert "Tips voor het gesprek" in body
    assert "Dit is jouw rol" in body  # the demo lezer is the group's privacy officer
    assert client.get(reverse("conversations_figure", args=["nobody"])).status_code == 404


def test_the_guide_in_english(client_for):
    client = client_for("teamlid_noord")
    client.post(reverse("set_language"), {"language": "en"})
    body = client.get(reverse("conversations_guide")).content.decode()
    assert "Main questions" in body or "Learning about technology together" in body
    assert "Plan" in body and "Act" in body
    assert "Samen leren over technologie" not in body


# ----------------------------------------------------------------------- key figures


def test_a_lezer_of_the_group_sees_their_key_figures_on_the_guide_page(client_for):
    body = client_for("lezer_noord").get(reverse("conversations_index")).content.decode()
    assert "Mijn rol in de gesprekken" in body
    assert "HR-medewerker" in body and "IBP-functionaris" in body


def test_one_person_holds_several_key_figures_set_by_the_directie(world, client_for):
    tom = world.users["teamlid_noord"]
    client = client_for("directie_noord")
    response = client.post(
        reverse("conversations_key_figures"), {"user": tom.pk, "figure": "beleidsadviseur"}
    )
    assert response.status_code == 302
    assert set(selectors.my_key_figures(tom, world.organisation)) == {
        "leraar",
        "icoach",
        "beleidsadviseur",
    }
    assert AuditEvent.objects.filter(kind="keyfigure.granted", actor=world.users["directie_noord"])
    body = client_for("teamlid_noord").get(reverse("conversations_index")).content.decode()
    assert "Beleidsadviseur onderwijs en ICT" in body


def test_a_school_directie_gives_key_figures_only_in_their_own_school(world, client_for):
    client = client_for("directie_noord")
    zeno = world.users["directie_zuid"]
    response = client.post(reverse("conversations_key_figures"), {"user": zeno.pk, "figure": "hr"})
    assert response.status_code == 200  # the form again, with an error
    assert not KeyFigureRole.objects.filter(user=zeno, figure="hr").exists()
    with pytest.raises(PermissionDenied):
        services.key_figure_grant(
            actor=world.users["ict_noord"],
            organisation=world.organisation,
            user=world.users["teamlid_noord"],
            figure="hr",
        )


# ------------------------------------------------------------- who reads the record


@pytest.mark.parametrize("key", ["teamlid_noord", "lezer_noord", "beheerder"])
def test_a_member_who_did_not_take_part_sees_that_it_happened_but_not_the_notes(
    world, client_for, key
):
    conversation = _privacy(world)
    response = client_for(key).get(reverse("conversations_detail", args=[conversation.pk]))
    assert response.status_code == 200
    body = response.content.decode()
    assert conversation.subject in body  # the subject and date are public
    assert PRIVACY_NOTES not in body
    assert "Lien Jacobs" not in body  # who took part is part of the record
    assert "Lijst van toegestane apps" not in body  # so are the agreements
    assert "2 afspraken" in body
    assert not AuditEvent.objects.filter(kind="conversation.viewed", actor=world.users[key])
    # Nor through the list of the school's conversations.
    client = client_for(key)
    client.post(reverse("switch_school"), {"school": world.noord.pk, "next": "/"})
    index = client.get(reverse("conversations_index")).content.decode()
    assert conversation.subject in index and PRIVACY_NOTES not in index


def test_the_ict_coordinator_of_the_sister_school_gets_nothing(world, client, ict_zuid):
    conversation = _privacy(world)
    agreement = conversation.agreements.first()
    client.force_login(ict_zuid)
    for url, method in [
        (reverse("conversations_detail", args=[conversation.pk]), "get"),
        (reverse("conversations_edit", args=[conversation.pk]), "get"),
        (reverse("conversations_edit", args=[conversation.pk]), "post"),
        (reverse("conversations_agreement_add", args=[conversation.pk]), "post"),
        (reverse("conversations_agreement_action", args=[agreement.pk]), "post"),
    ]:
        response = getattr(client, method)(url, {"text": "x", "subject": "x"})
        assert response.status_code == 404, url
    index = client.get(reverse("conversations_index")).content.decode()
    assert conversation.subject not in index
    assert not selectors.may_read_record(ict_zuid, conversation)


def test_a_teamlid_cannot_add_themself_to_read_the_notes(world, client_for):
    conversation = _privacy(world)
    tom = _person("Tom", "Peeters")
    client = client_for("teamlid_noord")
    response = client.post(
        reverse("conversations_edit", args=[conversation.pk]),
        {
            "subject": conversation.subject,
            "held_on": conversation.held_on.isoformat(),
            "participants": [tom.pk],
            "version": conversation.version,
            "recorded": "on",
        },
    )
    assert response.status_code == 403
    assert not conversation.participants.filter(pk=tom.pk).exists()
    with pytest.raises(PermissionDenied):
        services.conversation_update(
            actor=world.users["teamlid_noord"],
            conversation=conversation,
            expected_version=conversation.version,
            subject=conversation.subject,
            held_on=conversation.held_on,
            participants=[tom],
        )


def test_an_editor_cannot_add_someone_of_another_school_or_organisation(world, ict_zuid):
    conversation = _privacy(world)
    stranger = Person.objects.filter(organisation=world.other_organisation).first()
    zuid_only = (
        Person.objects.filter(availabilities__school=world.zuid, organisation=world.organisation)
        .exclude(availabilities__school=world.noord)
        .first()
    )
    for outsider in (stranger, zuid_only):
        with pytest.raises(ValidationError):
            services.conversation_update(
                actor=world.users["ict_noord"],
                conversation=conversation,
                expected_version=conversation.version,
                subject=conversation.subject,
                held_on=conversation.held_on,
                participants=[outsider],
            )
    assert not conversation.participants.filter(pk__in=[stranger.pk, zuid_only.pk]).exists()


@pytest.mark.parametrize("key", ["ict_noord", "directie_noord", "directeur"])
def test_participants_and_the_directie_read_the_notes_kept_from_caches_and_audited(
    world, client_for, key
):
    conversation = _privacy(world)
    response = client_for(key).get(reverse("conversations_detail", args=[conversation.pk]))
    body = response.content.decode()
    assert PRIVACY_NOTES in body and "Lien Jacobs" in body
    assert "no-store" in response["Cache-Control"]
    events = AuditEvent.objects.filter(kind="conversation.viewed", actor=world.users[key])
    assert events.count() == 1
    assert events.get().data["conversation"] == conversation.pk
    client_for(key).get(reverse("conversations_detail", args=[conversation.pk]))
    assert events.count() == 1  # once a day per reader


def test_a_teamlid_reads_the_notes_of_the_conversation_they_took_part_in(world, client_for):
    client = client_for("teamlid_noord")
    learning = client.get(reverse("conversations_detail", args=[_learning(world).pk]))
    assert LEARNING_NOTES in learning.content.decode()
    # ... but may not write them: editing the record is for who edits the school's ICT work.
    assert client.get(reverse("conversations_edit", args=[_learning(world).pk])).status_code == 403


def test_the_list_marks_only_records_the_user_reads(world):
    conversations = list(
        selectors.conversations_for_school(world.users["teamlid_noord"], world.noord)
    )
    assert selectors.readable_ids(world.users["teamlid_noord"], conversations) == {
        _learning(world).pk
    }
    assert selectors.readable_ids(world.users["directie_noord"], conversations) == {
        c.pk for c in conversations
    }
    assert selectors.readable_ids(world.users["lezer_noord"], conversations) == set()
    # The list rule and the page rule agree for every demo user.
    for key, user in world.users.items():
        mine = selectors.conversations_for_user(user)
        readable = selectors.readable_ids(user, mine)
        assert readable == {c.pk for c in mine if selectors.may_read_record(user, c)}, key


# ------------------------------------------------------- prepare, record, turn into actions


def test_prepare_record_and_turn_an_agreement_into_an_action(world, client_for):
    from teamwerk.actions.models import Action, ActionSource

    client = client_for("ict_noord")
    ilse, jeroen = _person("Ilse", "Verbeke"), _person("Jeroen", "Wouters")
    response = client.post(
        reverse("conversations_create"),
        {
            "subject": "STEM-lab en robotica",
            "held_on": "2026-11-20",
            "key_figures": ["leraar", "icoach"],
            "questions": ["2b", "3"],
            "participants": [ilse.pk, jeroen.pk],
            "preparation": "Jeroen brengt zijn lesvoorbereiding mee.",
        },
    )
    assert response.status_code == 302
    conversation = Conversation.objects.get(subject="STEM-lab en robotica")
    assert conversation.school == world.noord and conversation.status == "prepared"
    response = client.post(
        reverse("conversations_edit", args=[conversation.pk]),
        {
            "subject": conversation.subject,
            "held_on": "2026-11-21",
            "key_figures": ["leraar", "icoach"],
            "questions": ["2b", "3"],
            "participants": [ilse.pk, jeroen.pk],
            "notes": "Jeroen wil een robotica-netwerk met de basisscholen.",
            "recorded": "on",
            "version": conversation.version,
        },
    )
    assert response.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == "recorded" and conversation.held_on == dt.date(2026, 11, 21)
    response = client.post(
        reverse("conversations_agreement_add", args=[conversation.pk]),
        {"text": "Contact leggen met het netwerk van de basisscholen", "owner": jeroen.pk,
         "due": "2027-01-15"},
    )  # fmt: skip
    agreement = ConversationAgreement.objects.get(conversation=conversation)
    client.post(reverse("conversations_agreement_action", args=[agreement.pk]))
    client.post(reverse("conversations_agreement_action", args=[agreement.pk]))  # twice: one
    action = Action.objects.get(
        source_ref=f"conversation:{conversation.pk}:agreement:{agreement.pk}"
    )
    assert action.title == "Contact leggen met het netwerk van de basisscholen"
    assert action.source == ActionSource.CONVERSATION
    assert action.owner == jeroen and action.due == dt.date(2027, 1, 15)
    assert action.school == world.noord
    detail_url = reverse("conversations_detail", args=[conversation.pk])
    assert action.source_url == detail_url  # the action links back to the conversation
    agreement.refresh_from_db()
    assert agreement.action_id == action.pk
    body = client.get(detail_url).content.decode()
    assert reverse("actions_detail", args=[action.pk]) in body  # and the conversation to it
    assert AuditEvent.objects.filter(kind="conversation.action_created", data__action=action.pk)


def test_unknown_guide_codes_and_bad_dates_are_refused(world):
    with pytest.raises(ValidationError) as error:
        services.conversation_prepare(
            actor=world.users["ict_noord"],
            school=world.noord,
            subject="x",
            held_on=dt.date(1999, 1, 1),
            questions=["1a", "7z"],
        )
    assert {"held_on", "questions"} <= set(error.value.message_dict)


def test_a_stale_record_is_refused_and_keeps_the_input(world, client_for):
    conversation = _privacy(world)
    stale = conversation.version
    services.conversation_update(
        actor=world.users["directie_noord"],
        conversation=conversation,
        expected_version=stale,
        subject=conversation.subject,
        held_on=conversation.held_on,
        participants=list(conversation.participants.all()),
        notes="Nadia vulde het verslag aan.",
    )
    response = client_for("ict_noord").post(
        reverse("conversations_edit", args=[conversation.pk]),
        {
            "subject": conversation.subject,
            "held_on": conversation.held_on.isoformat(),
            "participants": [p.pk for p in conversation.participants.all()],
            "notes": "Ilse schreef iets anders.",
            "recorded": "on",
            "version": stale,
        },
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Iemand anders heeft dit intussen gewijzigd" in body
    assert "Ilse schreef iets anders." in body
    conversation.refresh_from_db()
    assert conversation.notes == "Nadia vulde het verslag aan."


def test_the_demo_has_two_recorded_conversations_with_actions(world):
    from teamwerk.actions.models import Action

    conversations = Conversation.objects.filter(school=world.noord, status="recorded")
    assert conversations.count() == 2
    for conversation in conversations:
        agreements = list(conversation.agreements.all())
        assert len(agreements) == 2 and all(a.action_id for a in agreements)
    ids = ConversationAgreement.objects.filter(conversation__in=conversations).values("action_id")
    actions = Action.objects.filter(pk__in=ids, source="conversation", school=world.noord)
    assert actions.count() == 4
    assert all(a.source_url.startswith("/gesprekken/") for a in actions)
    assert any(a.is_overdue() for a in actions)


def test_the_list_of_conversations_takes_as_many_queries_for_5_as_for_50(world, client_for):
    client = client_for("ict_noord")
    ilse = _person("Ilse", "Verbeke")

    def add(n: int) -> None:
        for i in range(n):
            conversation = services.conversation_prepare(
                actor=None,
                school=world.noord,
                subject=f"Gesprek {i}",
                held_on=dt.date(2026, 1, 1),
                key_figures=["leraar"],
                participants=[ilse],
            )
            services.agreement_add(actor=None, conversation=conversation, text="Afspraak")

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("conversations_index")).status_code == 200
        return len(queries)

    add(3)  # with the demo's two: 5
    five = count()
    add(45)
    assert count() == five


def test_revoking_a_key_figure_is_audited_and_stays_in_the_directies_scope(world, client_for):
    role = KeyFigureRole.objects.get(user=world.users["lezer_noord"], figure="hr")
    # The directie of the sister school does not manage Lotte: 404, and the role stays.
    client = client_for("directie_zuid")
    url = reverse("conversations_key_figure_revoke", args=[role.pk])
    assert client.post(url).status_code == 404
    assert KeyFigureRole.objects.filter(pk=role.pk).exists()
    assert client_for("directie_noord").post(url).status_code == 302
    assert not KeyFigureRole.objects.filter(pk=role.pk).exists()
    event = AuditEvent.objects.get(kind="keyfigure.revoked")
    assert event.data == {"figure": "hr"} and event.actor == world.users["directie_noord"]
    assert selectors.my_key_figures(world.users["lezer_noord"], world.organisation) == ["ibp"]


def test_an_editor_keeps_the_participants_they_cannot_see(world):
    """The group directeur adds someone without a place in Campus Noord; the ICT coordinator
    of Campus Noord, who cannot see that person, saves the record: the person stays."""
    conversation = _privacy(world)
    outside = (
        Person.objects.filter(organisation=world.organisation)
        .exclude(availabilities__school=world.noord)
        .first()
    )
    people = [*conversation.participants.all(), outside]
    conversation = services.conversation_update(
        actor=world.users["directeur"],
        conversation=conversation,
        expected_version=conversation.version,
        subject=conversation.subject,
        held_on=conversation.held_on,
        participants=people,
    )
    ict = world.users["ict_noord"]
    assert not selectors.participant_choices(ict, world.noord).filter(pk=outside.pk).exists()
    visible = list(
        selectors.participant_choices(ict, world.noord).filter(
            pk__in=conversation.participants.values("pk")
        )
    )
    services.conversation_update(
        actor=ict,
        conversation=conversation,
        expected_version=conversation.version,
        subject=conversation.subject,
        held_on=conversation.held_on,
        participants=visible,
        notes="Aangevuld door Ilse.",
    )
    assert conversation.participants.filter(pk=outside.pk).exists()
