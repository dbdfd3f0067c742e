"""Backup and restore of one organisation: every row back, nothing of another organisation."""

from __future__ import annotations

import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from django.db import models
from django.test.utils import isolate_apps

from teamwerk.accounts.models import User
from teamwerk.privacy import registry
from teamwerk.privacy.archive import (
    organisation_export,
    organisation_import,
    organisation_snapshot,
    organisation_wipe,
)

pytestmark = pytest.mark.django_db


def _remap(snapshot: dict, mapping: dict, replaced: dict) -> dict:
    """The snapshot with every id (own key, foreign keys, history's object id) translated."""
    from django.apps import apps

    out = {}
    for label, rows in snapshot.items():
        model = apps.get_model(label)
        pk_name = model._meta.pk.attname
        relations = {
            f.attname: registry.label_of(f.related_model)
            for f in model._meta.concrete_fields
            if isinstance(f, models.ForeignKey)
        }
        if registry.is_historical(model):
            relations["id"] = registry.label_of(model.instance_type)
        translated = {}
        for row in rows.values():
            new = dict(row)
            new[pk_name] = mapping[label][row[pk_name]]
            for name in new:
                if isinstance(new[name], str):
                    new[name] = replaced.get((label, name, new[name]), new[name])
            for name, target in relations.items():
                if new[name] is not None:
                    new[name] = mapping.get(target, {}).get(new[name], new[name])
            translated[new[pk_name]] = new
        out[label] = translated
    return out


def _export(organisation) -> bytes:
    buffer = io.BytesIO()
    organisation_export(organisation=organisation, target=buffer)
    return buffer.getvalue()


def _assert_same(before: dict, after: dict, result) -> None:
    expected = _remap(before, result.mapping, result.replaced)
    assert set(expected) == set(after)
    for label in expected:
        assert expected[label] == after[label], label


def test_every_model_is_an_organisations_data_or_placed_on_purpose():
    assert registry.uncovered_models() == []


def test_the_walk_finds_every_module_and_its_history():
    labels = {c.label for c in registry.organisation_models()}
    for expected in (
        "tenancy.organisation",
        "tenancy.historicalorganisation",
        "team.person",
        "team.historicalcompetence",
        "planning.plannedtask",
        "catalogue.task_profiles",
        "documents.housestyle",
        "documents.recordeddocument",
        "documents.vacancy_planned_tasks",
        "accounts.auditevent",
        "allocation.historicalproposalrun",
        "stappenplan.answer",
    ):
        assert expected in labels


@isolate_apps("teamwerk.privacy")
def test_a_new_model_is_picked_up_through_its_foreign_keys_or_reported():
    from teamwerk.team.models import Person

    class Comment(models.Model):  # no organisation field: found through its person
        person = models.ForeignKey(Person, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return str(self.pk)

    class Note(models.Model):  # only an account: not an organisation's data by itself
        user = models.ForeignKey(User, on_delete=models.CASCADE)

        class Meta:
            app_label = "privacy"

        def __str__(self) -> str:
            return str(self.pk)

    assert registry._organisation_path(Comment, 0) == "person__organisation_id"
    assert registry._organisation_path(Note, 0) is None


def test_round_trip_as_a_fresh_organisation_next_to_the_others(world):
    organisation = world.organisation
    before = organisation_snapshot(organisation.pk)
    other_before = organisation_snapshot(world.other_organisation.pk)
    assert sum(len(rows) for rows in before.values()) > 500

    result = organisation_import(source=io.BytesIO(_export(organisation)), name="Kopie")

    assert result.organisation.pk != organisation.pk
    assert result.organisation.name == "Kopie"
    assert result.users_created == 0  # every account is here already
    after = organisation_snapshot(result.organisation.pk)
    for row in after["tenancy.organisation"].values():
        row["name"] = organisation.name
    _assert_same(before, after, result)
    # Nothing of the original or the other organisation changed.
    assert organisation_snapshot(organisation.pk) == before
    assert organisation_snapshot(world.other_organisation.pk) == other_before


def test_round_trip_after_a_wipe_with_new_accounts(world):
    organisation = world.organisation
    before = organisation_snapshot(organisation.pk)
    archive = _export(organisation)
    people_accounts = set(
        User.objects.filter(memberships__organisation=organisation)
        .exclude(memberships__organisation=world.other_organisation)
        .values_list("email", flat=True)
    )

    organisation_wipe(organisation=organisation)
    organisation.delete()
    User.objects.filter(email__in=people_accounts).delete()
    assert organisation_snapshot(organisation.pk)["team.person"] == {}

    result = organisation_import(source=io.BytesIO(archive))

    assert result.users_created == len(people_accounts) > 0
    restored = User.objects.get(email="ict.noord@scholengroep-demo.be")
    assert not restored.has_usable_password()
    assert result.replaced == {}
    _assert_same(before, organisation_snapshot(result.organisation.pk), result)


def test_the_archive_holds_only_that_organisation(world):
    from teamwerk.team.models import Person

    archive = zipfile.ZipFile(io.BytesIO(_export(world.organisation)))
    text = "\n".join(
        archive.read(name).decode("utf-8", "replace")
        for name in archive.namelist()
        if name.endswith(".jsonl")
    )
    others = Person.objects.filter(organisation=world.other_organisation)
    assert others.exists()
    for person in others:
        assert person.last_name not in text
        assert not person.email or person.email not in text
    assert "beheerder@stichting-demo.nl" not in text
    for name in archive.namelist():
        if name.startswith("data/"):
            for line in archive.read(name).decode().splitlines():
                row = json.loads(line)
                if "organisation_id" in row:
                    assert row["organisation_id"] == world.organisation.pk, name


def test_manifest_names_format_versions_and_files(world):
    archive = zipfile.ZipFile(io.BytesIO(_export(world.organisation)))
    manifest = json.loads(archive.read("manifest.json"))
    assert manifest["format"] == "teamwerk-organisation"
    assert manifest["format_version"] == 1
    assert "team" in manifest["app_versions"]
    counts = {entry["model"]: entry["rows"] for entry in manifest["models"]}
    assert counts["team.person"] > 0 and counts["team.historicalperson"] > 0
    recorded = [n for n in archive.namelist() if n.startswith("files/documents.recordeddocument/")]
    assert recorded and all(archive.read(n) for n in recorded)


def test_commands_export_import_and_refuse_an_unknown_format(world, tmp_path):
    target = tmp_path / "demo.zip"
    out = io.StringIO()
    call_command("export_organisation", str(world.organisation.pk), str(target), stdout=out)
    assert "Exported 'Scholengroep Demo'" in out.getvalue()

    out = io.StringIO()
    call_command("import_organisation", str(target), "--name", "Hersteld", stdout=out)
    assert "Restored 'Hersteld'" in out.getvalue()

    future = tmp_path / "future.zip"
    with zipfile.ZipFile(target) as source, zipfile.ZipFile(future, "w") as copy:
        for item in source.namelist():
            data = source.read(item)
            if item == "manifest.json":
                manifest = json.loads(data)
                manifest["format_version"] = 99
                data = json.dumps(manifest)
            copy.writestr(item, data)
    with pytest.raises(CommandError, match="format version 99 is unknown"):
        call_command("import_organisation", str(future))
    with pytest.raises(CommandError, match="No single organisation"):
        call_command("export_organisation", "Bestaat niet", str(tmp_path / "x.zip"))
