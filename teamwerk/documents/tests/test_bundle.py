"""All job descriptions of a school in one file, made by the background worker: asked for
with a button, followed on a page, downloaded once ready; only by who may see them all."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from teamwerk.accounts.models import AuditEvent
from teamwerk.documents.models import BUNDLE_LIMIT, DocumentBundle
from teamwerk.team.models import Person
from teamwerk.tenancy.selectors import current_school_year

from .test_documents import docx_text, pdf_info, pdf_text


def _people(world):
    year = current_school_year(world.organisation)
    return list(
        Person.objects.filter(
            availabilities__school=world.noord,
            availabilities__school_year=year,
            availabilities__hours_available__gt=0,
        ).distinct()
    )


def _ask(client, world, fmt, run, django_capture_on_commit_callbacks):
    """Press the bundle button; with ``run`` the (immediate) task backend makes the file as
    the transaction would commit."""
    url = reverse("documents_bundle", args=[world.noord.pk, fmt])
    with django_capture_on_commit_callbacks(execute=run):
        response = client.post(url)
    assert response.status_code == 302
    bundle = DocumentBundle.objects.filter(school=world.noord, format=fmt).get()
    assert response["Location"] == reverse("documents_bundle_status", args=[bundle.pk])
    return bundle


@pytest.mark.parametrize("fmt", ["zip", "pdf"])
def test_bundle_is_asked_made_and_downloaded(
    client_for, world, fmt, django_capture_on_commit_callbacks
):
    client = client_for("ict_noord")
    # Asked for, not yet made: the page shows progress that polls, and no download link.
    bundle = _ask(client, world, fmt, False, django_capture_on_commit_callbacks)
    page = client.get(reverse("documents_bundle_status", args=[bundle.pk])).content.decode()
    assert "wacht op zijn beurt" in page
    assert reverse("documents_bundle_progress", args=[bundle.pk]) in page
    assert reverse("documents_bundle_download", args=[bundle.pk]) not in page
    assert client.get(reverse("documents_bundle_download", args=[bundle.pk])).status_code == 404
    # The worker takes it (the test settings' task backend runs it at once).
    from teamwerk.documents.tasks import make_bundle

    make_bundle.enqueue(bundle.pk)
    bundle.refresh_from_db()
    assert (bundle.status, bundle.progress) == ("done", 100)
    page = client.get(reverse("documents_bundle_status", args=[bundle.pk])).content.decode()
    download_url = reverse("documents_bundle_download", args=[bundle.pk])
    assert download_url in page
    # Polling a finished bundle reloads the page (htmx) or sends the browser to it.
    progress_url = reverse("documents_bundle_progress", args=[bundle.pk])
    assert client.get(progress_url, headers={"HX-Request": "true"})["HX-Refresh"] == "true"
    assert client.get(progress_url)["Location"] == reverse(
        "documents_bundle_status", args=[bundle.pk]
    )

    before = AuditEvent.objects.filter(kind="document.bundle_downloaded").count()
    response = client.get(download_url)
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert f".{fmt}" in response["Content-Disposition"]
    assert AuditEvent.objects.filter(kind="document.bundle_downloaded").count() == before + 1
    people = _people(world)
    assert people
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
            names = archive.namelist()
            assert len(names) == len(people)
            texts = [docx_text(archive.read(name)) for name in names]
        for person in people:
            assert any(person.full_name in text for text in texts), person.full_name
    else:
        text = pdf_text(response.content)
        for person in people:
            assert person.full_name in text, person.full_name
        pages = int(pdf_info(response.content).split("Pages:")[1].split()[0])
        assert pages >= len(people)
    # Asked again once it is done: a fresh file replaces the old one.
    again = _ask(client, world, fmt, True, django_capture_on_commit_callbacks)
    assert again.pk != bundle.pk
    assert list(DocumentBundle.objects.filter(school=world.noord, format=fmt)) == [again]


def test_bundle_in_english_when_asked_in_english(
    client_for, world, django_capture_on_commit_callbacks
):
    """The worker writes the documents in the language of who asked, not its own."""
    client = client_for("ict_noord")
    client.cookies["django_language"] = "en"
    bundle = _ask(client, world, "zip", True, django_capture_on_commit_callbacks)
    bundle.refresh_from_db()
    assert bundle.language == "en"
    response = client.get(reverse("documents_bundle_download", args=[bundle.pk]))
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        text = docx_text(archive.read(archive.namelist()[0]))
    assert "Job description" in text
    assert "Functiebeschrijving" not in text


def test_teamlid_and_lezer_cannot_ask_nor_see_a_bundle(
    client_for, world, django_capture_on_commit_callbacks
):
    bundle = _ask(
        client_for("directie_noord"), world, "zip", True, django_capture_on_commit_callbacks
    )
    for key in ("teamlid_noord", "lezer_noord"):
        client = client_for(key)
        assert (
            client.post(reverse("documents_bundle", args=[world.noord.pk, "pdf"])).status_code
            == 403
        )
        for name in (
            "documents_bundle_status",
            "documents_bundle_progress",
            "documents_bundle_download",
        ):
            assert client.get(reverse(name, args=[bundle.pk])).status_code == 404, (key, name)
        index = client.get(reverse("documents_index")).content.decode()
        assert reverse("documents_bundle", args=[world.noord.pk, "zip"]) not in index
    assert not DocumentBundle.objects.filter(format="pdf").exists()


def test_other_school_gets_404(client_for, world, django_capture_on_commit_callbacks):
    bundle = _ask(client_for("ict_noord"), world, "zip", True, django_capture_on_commit_callbacks)
    for key in ("directie_zuid", "beheerder_stichting"):
        client = client_for(key)
        assert (
            client.post(reverse("documents_bundle", args=[world.noord.pk, "zip"])).status_code
            == 404
        )
        for name in (
            "documents_bundle_status",
            "documents_bundle_progress",
            "documents_bundle_download",
        ):
            assert client.get(reverse(name, args=[bundle.pk])).status_code == 404, (key, name)
    assert AuditEvent.objects.filter(kind="document.bundle_downloaded").count() == 0


def test_a_bundle_whose_worker_died_is_failed_and_can_be_asked_again(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for("ict_noord")
    bundle = _ask(client, world, "pdf", False, django_capture_on_commit_callbacks)
    # The worker took it and then stopped (restart, crash): "being made" for far too long.
    DocumentBundle.objects.filter(pk=bundle.pk).update(
        status="running",
        progress=40,
        started_at=timezone.now() - BUNDLE_LIMIT - dt.timedelta(minutes=1),
    )
    page = client.get(reverse("documents_bundle_status", args=[bundle.pk])).content.decode()
    assert "niet gemaakt" in page
    assert "Opnieuw aanvragen" in page
    assert reverse("documents_bundle_progress", args=[bundle.pk]) not in page
    assert client.get(reverse("documents_bundle_download", args=[bundle.pk])).status_code == 404
    again = _ask(client, world, "pdf", True, django_capture_on_commit_callbacks)
    assert again.pk != bundle.pk
    assert not DocumentBundle.objects.filter(pk=bundle.pk).exists()
    again.refresh_from_db()
    assert again.status == "done"


def test_asking_twice_while_it_is_made_keeps_one_bundle(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for("ict_noord")
    first = _ask(client, world, "zip", False, django_capture_on_commit_callbacks)
    second = _ask(client, world, "zip", False, django_capture_on_commit_callbacks)
    assert first.pk == second.pk


def test_progress_is_bounded_in_the_database(world):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        DocumentBundle.objects.create(
            organisation=world.organisation,
            school=world.noord,
            school_year=current_school_year(world.organisation),
            format="zip",
            progress=101,
        )


def test_progress_shows_how_far_the_worker_is(
    client_for, world, django_capture_on_commit_callbacks
):
    client = client_for("ict_noord")
    bundle = _ask(client, world, "zip", False, django_capture_on_commit_callbacks)
    DocumentBundle.objects.filter(pk=bundle.pk).update(
        status="running", progress=40, started_at=timezone.now()
    )
    url = reverse("documents_bundle_progress", args=[bundle.pk])
    response = client.get(url, headers={"HX-Request": "true"})
    part = response.content.decode()
    assert response.status_code == 200
    assert 'aria-valuenow="40"' in part and "worden gemaakt" in part
    assert "<html" not in part  # only the card, swapped in by htmx
    assert "no-store" in response["Cache-Control"]
