"""Backup and restore of one organisation as a versioned zip archive (docs/archive-format.md).

``organisation_export`` writes every row of every model that belongs to the organisation
(found by ``registry.organisation_models``: all modules, history tables included), the
binary fields (house-style templates, recorded documents, bundles) as separate files, and the
shared rows they refer to (accounts, the standard catalogue) by natural key.

``organisation_import`` restores an archive as a new organisation: every primary key is new,
every foreign key is translated; accounts are matched by e-mail address or created without a
usable password; history rows that name objects deleted long ago get fresh ids that no new
object will ever take.
"""

from __future__ import annotations

import datetime as dt
import decimal
import io
import json
import platform
import secrets
import uuid
import zipfile
from collections import defaultdict
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata

import django
from django.db import connection, models, transaction
from django.utils import timezone

from .registry import (
    ORGANISATION,
    REFERENCE_KEYS,
    USER,
    Covered,
    is_historical,
    label_of,
    organisation_models,
    organisation_rows,
)

FORMAT = "teamwerk-organisation"
FORMAT_VERSION = 1
SUPPORTED_VERSIONS = (1,)
BATCH = 1000
USER_FIELDS = ("email", "first_name", "last_name", "language", "is_active", "date_joined")


class ArchiveError(Exception):
    """The archive cannot be read or restored here; the message says why."""


@dataclass
class ExportResult:
    rows: dict[str, int]
    files: int
    references: int


@dataclass
class ImportResult:
    organisation: object
    rows: dict[str, int]
    users_created: int
    users_matched: int
    # label → {id in the archive: id here}, for every translated key (tests compare with it).
    mapping: dict[str, dict[int, int]] = field(default_factory=dict)
    # (label, field, value in the archive) → new value: unique tokens already taken here
    # (a copy next to its original gets new invitation links; the old ones stay the original's).
    replaced: dict[tuple[str, str, str], str] = field(default_factory=dict)


# --------------------------------------------------------------------------- encoding


def _encode(value):
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def _decode(model_field, value):
    if value is None or isinstance(model_field, models.JSONField):
        return value
    if isinstance(model_field, models.DurationField):
        return dt.timedelta(seconds=value)
    return model_field.to_python(value)


def _fields(model) -> list[models.Field]:
    return list(model._meta.concrete_fields)


def _app_versions() -> dict[str, str]:
    """The latest migration of every app in this code: the schema the rows were written in."""
    from django.db.migrations.loader import MigrationLoader

    latest: dict[str, str] = {}
    for app, name in MigrationLoader(None, ignore_no_migrations=True).graph.leaf_nodes():
        latest[app] = max(name, latest.get(app, ""))
    return dict(sorted(latest.items()))


def _package_version(name: str) -> str:
    try:
        return metadata.version(name)
    except metadata.PackageNotFoundError:
        return ""


# --------------------------------------------------------------------------- export


def organisation_export(*, organisation, target) -> ExportResult:
    """Write the organisation's archive to ``target`` (a path or a binary file object)."""
    covered = organisation_models()
    exported: dict[str, set[int]] = defaultdict(set)
    wanted: dict[str, set[int]] = defaultdict(set)  # rows referred to, outside the export
    counts: dict[str, int] = {}
    files = 0
    entries = []
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        own_transaction = not connection.in_atomic_block
        with transaction.atomic():  # one consistent picture (repeatable on PostgreSQL)
            if connection.vendor == "postgresql" and own_transaction:
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            for item in covered:
                model = item.model
                model_fields = _fields(model)
                names = [f.attname for f in model_fields]
                pk_name = model._meta.pk.attname
                relations = [
                    (f.attname, label_of(f.related_model))
                    for f in model_fields
                    if isinstance(f, models.ForeignKey)
                ]
                if is_historical(model):
                    relations.append(("id", label_of(model.instance_type)))
                binaries = [f.attname for f in model_fields if isinstance(f, models.BinaryField)]
                path = f"data/{item.label}.jsonl"
                count = 0
                rows = organisation_rows(item, organisation.pk).order_by(pk_name)
                with archive.open(path, "w") as out:
                    buffer = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
                    for values in rows.values_list(*names).iterator(chunk_size=BATCH):
                        row = dict(zip(names, values, strict=True))
                        for name in binaries:
                            if row[name] is not None:
                                # The bytes follow once this file is closed (zip: one at a time).
                                row[name] = {"$file": f"files/{item.label}/{row[pk_name]}/{name}"}
                        for name, target_label in relations:
                            if row[name] is not None:
                                wanted[target_label].add(row[name])
                        exported[item.label].add(row[pk_name])
                        buffer.write(
                            json.dumps({k: _encode(v) for k, v in row.items()}, ensure_ascii=False)
                        )
                        buffer.write("\n")
                        count += 1
                    buffer.flush()
                    buffer.detach()
                if binaries:
                    for values in rows.values_list(pk_name, *binaries).iterator(chunk_size=50):
                        for name, content in zip(binaries, values[1:], strict=True):
                            if content is not None:
                                archive.writestr(
                                    f"files/{item.label}/{values[0]}/{name}", bytes(content)
                                )
                                files += 1
                counts[item.label] = count
                entries.append({"model": item.label, "file": path, "rows": count})
            references = _write_references(archive, wanted, exported)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "organisation": {"id": organisation.pk, "name": organisation.name},
            "software": {
                "teamwerk": _package_version("teamwerk"),
                "django": django.get_version(),
                "python": platform.python_version(),
                "database": connection.vendor,
            },
            "app_versions": _app_versions(),
            "models": entries,
            "references": "references.jsonl",
            "files": files,
        }
        archive.writestr("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False))
    return ExportResult(rows=counts, files=files, references=references)


def _write_references(archive, wanted, exported) -> int:
    """Shared rows the organisation's rows point at (accounts, standard catalogue)."""
    from django.apps import apps

    written = 0
    with archive.open("references.jsonl", "w") as out:
        buffer = io.TextIOWrapper(out, encoding="utf-8", newline="\n")
        for label in sorted(wanted):
            if label == ORGANISATION:
                continue
            ids = wanted[label] - exported.get(label, set())
            if not ids:
                continue
            if label not in REFERENCE_KEYS:
                # A dangling id of a deleted object (history rows): translated on import.
                continue
            model = apps.get_model(label)
            if label == USER:
                names = ["id", *USER_FIELDS]
            else:
                names = [f.attname for f in _fields(model)]
            for values in model._base_manager.filter(pk__in=ids).values_list(*names):
                row = dict(zip(names, values, strict=True))
                buffer.write(
                    json.dumps(
                        {"model": label, "row": {k: _encode(v) for k, v in row.items()}},
                        ensure_ascii=False,
                    )
                )
                buffer.write("\n")
                written += 1
        buffer.flush()
        buffer.detach()
    return written


# --------------------------------------------------------------------------- import


def read_manifest(archive: zipfile.ZipFile) -> dict:
    try:
        manifest = json.loads(archive.read("manifest.json"))
    except KeyError as exc:
        raise ArchiveError("This is not a Teamwerk archive: it has no manifest.json.") from exc
    except ValueError as exc:
        raise ArchiveError("The archive's manifest.json is not valid JSON.") from exc
    if manifest.get("format") != FORMAT:
        raise ArchiveError(
            f"This is not a Teamwerk organisation archive ({manifest.get('format')!r})."
        )
    version = manifest.get("format_version")
    if version not in SUPPORTED_VERSIONS:
        raise ArchiveError(
            f"Archive format version {version!r} is unknown to this Teamwerk, which reads "
            f"version {', '.join(map(str, SUPPORTED_VERSIONS))}. Restore it with the Teamwerk "
            "release that wrote it, or a newer one."
        )
    return manifest


def _lines(archive: zipfile.ZipFile, path: str):
    with archive.open(path) as raw:
        for line in io.TextIOWrapper(raw, encoding="utf-8"):
            if line.strip():
                yield json.loads(line)


@contextmanager
def _keep_timestamps(model_list):
    """auto_now / auto_now_add would overwrite the archive's times on insert."""
    changed = []
    for model in model_list:
        for model_field in model._meta.concrete_fields:
            if getattr(model_field, "auto_now", False) or getattr(
                model_field, "auto_now_add", False
            ):
                changed.append((model_field, model_field.auto_now, model_field.auto_now_add))
                model_field.auto_now = model_field.auto_now_add = False
    try:
        yield
    finally:
        for model_field, auto_now, auto_now_add in changed:
            model_field.auto_now, model_field.auto_now_add = auto_now, auto_now_add


class _Translator:
    """Old id → new id, per model; ids of long-deleted objects get fresh unused ids."""

    def __init__(self):
        self.mapping: dict[str, dict[int, int]] = defaultdict(dict)
        self.replaced: dict[tuple[str, str, str], str] = {}
        self.reserved: dict[str, int] = {}  # label → highest id handed out for deleted objects

    def new_id(self, label: str, old, *, nullable: bool):
        if old is None:
            return None
        found = self.mapping[label].get(old)
        if found is not None:
            return found
        if label == USER and nullable:
            return None  # an account deleted long ago: its history rows keep no account
        return self._reserve(label, old)

    def _reserve(self, label: str, old) -> int:
        from django.apps import apps

        model = apps.get_model(label)
        if isinstance(model._meta.pk, models.UUIDField):
            self.mapping[label][old] = uuid.uuid4()
            return self.mapping[label][old]
        if label not in self.reserved:
            top = model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self.reserved[label] = top + 1_000
        self.reserved[label] += 1
        self.mapping[label][old] = self.reserved[label]
        return self.reserved[label]


def organisation_import(*, source, name: str | None = None) -> ImportResult:
    """Restore the archive at ``source`` (path or binary file) as a new organisation."""
    from django.apps import apps

    with zipfile.ZipFile(source) as archive:
        manifest = read_manifest(archive)
        entries = manifest["models"]
        known = {c.label: c for c in organisation_models()}
        unknown = [e["model"] for e in entries if e["model"] not in known]
        if unknown:
            raise ArchiveError(
                "The archive holds data this Teamwerk does not know (made by a newer release?): "
                + ", ".join(unknown)
            )
        order = [c.label for c in organisation_models()]
        entries = sorted(entries, key=lambda e: order.index(e["model"]))
        translator = _Translator()
        counts: dict[str, int] = {}
        created = matched = 0
        with transaction.atomic(), _keep_timestamps([known[e["model"]].model for e in entries]):
            created, matched = _import_references(archive, translator)
            for entry in entries:
                item = known[entry["model"]]
                counts[item.label] = _import_model(archive, item, entry, translator, name)
            _advance_sequences(translator)
            organisation = apps.get_model(ORGANISATION).objects.get(
                pk=translator.mapping[ORGANISATION][manifest["organisation"]["id"]]
            )
    return ImportResult(
        organisation=organisation,
        rows=counts,
        users_created=created,
        users_matched=matched,
        mapping={k: dict(v) for k, v in translator.mapping.items()},
        replaced=translator.replaced,
    )


def _import_references(archive, translator: _Translator) -> tuple[int, int]:
    from django.apps import apps

    from teamwerk.accounts.models import User, normalise_email

    created = matched = 0
    if "references.jsonl" not in archive.namelist():
        return 0, 0
    for record in _lines(archive, "references.jsonl"):
        label, row = record["model"], record["row"]
        model = apps.get_model(label)
        old = row.pop(model._meta.pk.attname, row.pop("id", None))
        if label == USER:
            email = normalise_email(row["email"])
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User(email=email)
                for name in USER_FIELDS[1:]:
                    if name in row:
                        setattr(user, name, _decode(User._meta.get_field(name), row[name]))
                user.set_unusable_password()
                user.save()
                created += 1
            else:
                matched += 1
            translator.mapping[label][old] = user.pk
            continue
        key = {name: row[name] for name in REFERENCE_KEYS[label]}
        existing = model._base_manager.filter(**key)
        if label == "catalogue.task":
            existing = existing.filter(organisation__isnull=True)
        found = existing.first()
        if found is None:
            values = {}
            for model_field in _fields(model):
                if model_field.primary_key or model_field.attname not in row:
                    continue
                value = row[model_field.attname]
                if model_field.is_relation and value is not None:
                    value = translator.mapping[label_of(model_field.related_model)].get(value)
                    if value is None and not model_field.null:
                        raise ArchiveError(
                            f"{label} {key} is missing here and cannot be made from the "
                            "archive; load the standard catalogue first (manage.py load_catalogue)."
                        )
                    values[model_field.attname] = value
                else:
                    values[model_field.attname] = _decode(model_field, value)
            found = model._base_manager.create(**values)
        translator.mapping[label][old] = found.pk
    return created, matched


def _import_model(archive, item: Covered, entry: dict, translator: _Translator, name) -> int:
    model = item.model
    label = item.label
    pk_name = model._meta.pk.attname
    model_fields = {f.attname: f for f in _fields(model)}
    historical = is_historical(model)
    instance_label = label_of(model.instance_type) if historical else None
    batch: list[tuple[int, models.Model]] = []
    count = 0
    unique = [
        f for f in model_fields.values() if f.unique and not f.primary_key and not f.is_relation
    ]

    def free_unique_values(objs):
        for model_field in unique:
            values = [getattr(o, model_field.attname) for o in objs]
            taken = set(
                model._base_manager.filter(
                    **{f"{model_field.attname}__in": [v for v in values if v is not None]}
                ).values_list(model_field.attname, flat=True)
            )
            if not taken:
                continue
            if not isinstance(model_field, models.CharField):
                raise ArchiveError(f"{label}.{model_field.name}: values already taken here.")
            for obj in objs:
                old = getattr(obj, model_field.attname)
                if old in taken:
                    new = secrets.token_hex(model_field.max_length)[: model_field.max_length]
                    translator.replaced[(label, model_field.attname, old)] = new
                    setattr(obj, model_field.attname, new)

    def flush():
        objs = [obj for _, obj in batch]
        if unique:
            free_unique_values(objs)
        model._base_manager.bulk_create(objs, batch_size=BATCH)
        for (old, _), obj in zip(batch, objs, strict=True):
            if obj.pk is None:
                raise ArchiveError(f"{label}: the database did not return new ids.")
            translator.mapping[label][old] = obj.pk
        batch.clear()

    for row in _lines(archive, entry["file"]):
        unknown = set(row) - set(model_fields)
        if unknown:
            raise ArchiveError(
                f"{label} in the archive has fields this Teamwerk does not know: "
                + ", ".join(sorted(unknown))
            )
        old_pk = model._meta.pk.to_python(row.pop(pk_name))
        values = {}
        for attname, value in row.items():
            model_field = model_fields[attname]
            if historical and attname == "id":
                value = model.instance_type._meta.pk.to_python(value)
                values[attname] = translator.new_id(instance_label, value, nullable=False)
            elif model_field.is_relation:
                target = label_of(model_field.related_model)
                value = model_field.to_python(value)
                values[attname] = translator.new_id(target, value, nullable=model_field.null)
            elif isinstance(model_field, models.BinaryField) and isinstance(value, dict):
                values[attname] = archive.read(value["$file"])
            else:
                values[attname] = _decode(model_field, value)
        if label == ORGANISATION and name:
            values["name"] = name
        batch.append((old_pk, model(**values)))
        count += 1
        if label == ORGANISATION:
            flush()  # everything else points at it
        elif len(batch) >= BATCH:
            flush()
    if batch:
        flush()
    return count


def _advance_sequences(translator: _Translator) -> None:
    """New objects must never take an id handed to a deleted object of the archive's history."""
    from django.apps import apps

    for label, top in translator.reserved.items():
        model = apps.get_model(label)
        table = model._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                column = model._meta.pk.column
                quote = connection.ops.quote_name  # names from the model, never from input
                cursor.execute(
                    "SELECT setval(pg_get_serial_sequence(%s, %s), GREATEST(%s, "  # noqa: S608
                    f"(SELECT COALESCE(MAX({quote(column)}), 1) FROM {quote(table)})))",
                    [table, column, top],
                )
            elif connection.vendor == "sqlite":
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [table])
                current = cursor.fetchone()
                if current is None:
                    cursor.execute(
                        "INSERT INTO sqlite_sequence (name, seq) VALUES (%s, %s)", [table, top]
                    )
                elif current[0] < top:
                    cursor.execute(
                        "UPDATE sqlite_sequence SET seq = %s WHERE name = %s", [top, table]
                    )


# --------------------------------------------------------------------------- wipe, snapshot


def organisation_wipe(*, organisation) -> dict[str, int]:
    """Delete every row of the organisation (history too) without writing new history."""
    removed: dict[str, int] = {}
    with transaction.atomic():
        for item in reversed(organisation_models()):
            qs = organisation_rows(item, organisation.pk)
            removed[item.label] = qs._raw_delete(qs.db)
    return removed


def organisation_snapshot(organisation_id: int) -> dict[str, dict[int, dict]]:
    """Every row of the organisation as plain values (for comparing a restore)."""
    snapshot = {}
    for item in organisation_models():
        names = [f.attname for f in _fields(item.model)]
        pk_name = item.model._meta.pk.attname
        rows = {}
        for values in organisation_rows(item, organisation_id).values_list(*names):
            row = {
                k: (bytes(v) if isinstance(v, memoryview) else v)
                for k, v in zip(names, values, strict=True)
            }
            rows[row[pk_name]] = row
        snapshot[item.label] = rows
    return snapshot
