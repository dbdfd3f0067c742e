"""A run tells the truth about its status: "no distribution yet, try more time" is not
"impossible"; while it works, the page names the phase it is in."""

from __future__ import annotations

import re

from django.urls import reverse

from teamwerk.allocation import problem as builder
from teamwerk.allocation import services
from teamwerk.allocation.models import ProposalRun, RunStatus


def start_data(school, **extra):
    return {"school": school.pk, "continuity": "middel", "balance": "middel", **extra}


def test_no_distribution_in_time_says_so_and_offers_more_time(
    world, client_for, run_now, monkeypatch
):
    # A limit so short that the engine cannot even read the school: it has no answer yet.
    monkeypatch.setattr(builder, "SCHOOL_TIME_LIMIT_S", 1e-9)
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid)
    assert run.status == RunStatus.FAILED
    assert run.result["error"] == "no_solution_yet"

    client = client_for("directie_zuid")
    html = client.get(reverse("allocation_run", args=[run.pk])).content.decode()
    assert "vond de assistent nog geen verdeling" in html
    assert "Dat betekent niet dat er geen is" in html
    assert "geen verdeling maken" not in html  # not the "cannot be done" message
    more_time = reverse("allocation_start") + "?meer_tijd=1"
    assert f'href="{more_time}"' in html and "Probeer opnieuw met meer rekentijd" in html

    # The link opens the form with "more time" ticked; with it the run gets 4× the limit.
    form = client.get(more_time).content.decode()
    checkbox = re.search(r'<input[^>]*name="more_time"[^>]*>', form)
    assert checkbox is not None and " checked" in checkbox.group(0)
    monkeypatch.setattr(builder, "SCHOOL_TIME_LIMIT_S", 0.5)
    limits = []
    real = builder.solve_owners_first

    def spy(problem, *, time_limit_s, on_progress=None):
        limits.append(time_limit_s)
        return real(problem, time_limit_s=time_limit_s, on_progress=on_progress)

    monkeypatch.setattr(builder, "solve_owners_first", spy)
    again = run_now(actor=world.users["directie_zuid"], school=world.zuid, more_time=True)
    assert again.status == RunStatus.DONE and limits == [0.5 * builder.MORE_TIME_FACTOR]
    page = client.get(reverse("allocation_run", args=[again.pk])).content.decode()
    assert "Met meer rekentijd." in page


def test_no_distribution_in_time_in_english(world, client_for, run_now, monkeypatch):
    monkeypatch.setattr(builder, "SCHOOL_TIME_LIMIT_S", 1e-9)
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid)
    client = client_for("directie_zuid")
    client.cookies["django_language"] = "en"
    html = client.get(reverse("allocation_run", args=[run.pk])).content.decode()
    assert "That does not mean there is none" in html
    assert "Try again with more time" in html


def test_the_progress_bar_follows_the_engine_phases(world, run_now, monkeypatch):
    seen: list[int] = []
    real = services._progress

    def record(run, percent):
        seen.append(percent)
        real(run, percent)

    monkeypatch.setattr(services, "_progress", record)
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid)
    assert run.status == RunStatus.DONE
    phases = builder.PHASE_PROGRESS
    assert seen == sorted(seen)  # never goes back
    for key in (("owners", "prepare"), ("owners", "explain"), ("backups", "explain")):
        assert phases[key] in seen


def test_the_running_page_names_the_phase(world, client_for, run_now):
    run = run_now(actor=world.users["directie_zuid"], school=world.zuid)
    ProposalRun.objects.filter(pk=run.pk).update(
        status=RunStatus.RUNNING, progress=builder.PHASE_PROGRESS["backups", "search"]
    )
    client = client_for("directie_zuid")
    partial = client.get(reverse("allocation_progress", args=[run.pk]), HTTP_HX_REQUEST="true")
    assert "Back-ups: de assistent zoekt een betere verdeling." in partial.content.decode()
    ProposalRun.objects.filter(pk=run.pk).update(progress=builder.PHASE_PROGRESS["owners", "start"])
    page = client.get(reverse("allocation_run", args=[run.pk])).content.decode()
    assert "Trekkers: een eerste verdeling die aan alle regels voldoet." in page
