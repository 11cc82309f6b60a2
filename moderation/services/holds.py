"""Legal holds: an editor or admin records a legal request (complaint, court
order, regulator notice) and its scope (some comments, everything a user wrote,
every comment on an article). While it stands nothing in its scope is purged,
anonymised or hard-deleted (moderation.models.comments_under_hold is the one
test, used by the author's delete, the private-data purge and account deletion).
"Export history" writes a ZIP of every revision, decision, report and appeal in
the scope, as JSON and CSV, with a SHA-256 manifest; the export is audited."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import EDITORS
from articles.models import Article
from comments.models import Comment, CommentRevision
from core.csvcells import safe_cell
from moderation import audit
from moderation.lifecycle import ModerationError
from moderation.models import (
    ActionCode,
    Appeal,
    HoldScope,
    LegalHold,
    LegalRequestKind,
    ModerationAction,
    Report,
)


class HoldError(ModerationError):
    """A legal hold that cannot be recorded, released or exported as asked."""


def can_manage_holds(user: User | None) -> bool:
    """Editors and admins record, release and export legal holds."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or user.groups.filter(name=EDITORS).exists()


def _require(user: User) -> None:
    if not can_manage_holds(user):
        raise PermissionDenied(_("Only editors and admins can manage legal holds."))


def hold_place(
    *,
    by: User,
    kind: str,
    reference: str,
    received_on: date,
    requester: str,
    scope: str,
    user: User | None = None,
    article: Article | None = None,
    comment_ids: Sequence[int] = (),
    note: str = "",
    now: datetime | None = None,
) -> LegalHold:
    """Record a legal request and freeze its scope."""
    _require(by)
    now = now or timezone.now()
    if kind not in LegalRequestKind.values:
        raise HoldError(_("Choose the kind of legal request."))
    if scope not in HoldScope.values:
        raise HoldError(_("Choose what the hold covers."))
    reference, requester = (reference or "").strip(), (requester or "").strip()
    if not reference or not requester:
        raise HoldError(_("Give the request's reference and who made it."))
    if scope == HoldScope.USER and user is None:
        raise HoldError(_("Name the user whose writing the hold covers."))
    if scope == HoldScope.ARTICLE and article is None:
        raise HoldError(_("Name the article whose comments the hold covers."))
    comments: list[Comment] = []
    if scope == HoldScope.COMMENTS:
        comments = list(Comment.objects.filter(pk__in=set(comment_ids)).order_by("pk"))
        if not comments or len(comments) != len(set(comment_ids)):
            raise HoldError(_("Name the comments the hold covers, by their numbers."))
    with transaction.atomic():
        hold = LegalHold.objects.create(
            kind=kind,
            reference=reference[:200],
            received_on=received_on,
            requester=requester[:200],
            note=(note or "").strip()[:4000],
            scope=scope,
            user=user if scope == HoldScope.USER else None,
            article=article if scope == HoldScope.ARTICLE else None,
            created_by=by,
            created_at=now,
        )
        if comments:
            hold.comments.set(comments)
        audit.record(
            action=ActionCode.LEGAL_HOLD_PLACED,
            actor=by,
            comment=comments[0] if len(comments) == 1 else None,
            target_user_id=hold.user_id,
            reason=kind,
            note=f"{reference} ({requester})",
            data={
                "hold": hold.pk,
                "scope": scope,
                "article": hold.article_id,
                "comments": [c.pk for c in comments],
            },
            now=now,
        )
    return hold


def hold_release(*, hold: LegalHold, by: User, note: str, now: datetime | None = None) -> LegalHold:
    """Lift a hold: its scope may be purged and anonymised again as usual."""
    _require(by)
    now = now or timezone.now()
    note = (note or "").strip()
    if not note:
        raise HoldError(_("Say why the hold is released."))
    with transaction.atomic():
        current = LegalHold.objects.select_for_update().get(pk=hold.pk)
        if current.released_at is not None:
            raise HoldError(_("This hold was already released."))
        LegalHold.objects.filter(pk=current.pk).update(released_at=now, released_by=by)
        audit.record(
            action=ActionCode.LEGAL_HOLD_RELEASED,
            actor=by,
            target_user_id=current.user_id,
            reason=current.kind,
            note=note[:2000],
            data={"hold": current.pk},
            now=now,
        )
        current.refresh_from_db()
    return current


# ---------------------------------------------------------------- export


def scope_comments(hold: LegalHold) -> QuerySet[Comment]:
    """Every comment the hold covers."""
    match hold.scope:
        case HoldScope.USER if hold.user_id is not None:
            return Comment.objects.filter(author_id=hold.user_id)
        case HoldScope.ARTICLE if hold.article_id is not None:
            return Comment.objects.filter(article_id=hold.article_id)
        case _:
            return Comment.objects.filter(pk__in=hold.comments.values("pk"))


def _iso(value: datetime | date | None) -> str | None:
    return value.isoformat() if value else None


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[str, ...]
    rows: list[dict[str, Any]]


def _tables(hold: LegalHold) -> list[Table]:
    comments = list(
        scope_comments(hold).select_related("author", "article").order_by("created_at", "id")
    )
    ids = [c.pk for c in comments]
    revisions = CommentRevision.objects.filter(comment_id__in=ids).order_by("comment_id", "number")
    decisions_q = Q(comment_id__in=ids)
    if hold.scope == HoldScope.USER:
        decisions_q |= Q(target_user_id=hold.user_id)
    decisions = (
        ModerationAction.objects.filter(decisions_q)
        .select_related("actor", "target_user")
        .order_by("created_at", "id")
    )
    reports = Report.objects.filter(comment_id__in=ids).select_related("reporter")
    appeals = Appeal.objects.filter(comment_id__in=ids).select_related("appellant", "decided_by")
    return [
        Table(
            "comments",
            ("id", "article", "author", "parent_id", "status", "body", "created_at", "edited_at"),
            [
                {
                    "id": c.pk,
                    "article": c.article.slug,
                    "author": c.author.display_name,
                    "parent_id": c.parent_id,
                    "status": c.status,
                    "body": c.body,
                    "created_at": _iso(c.created_at),
                    "edited_at": _iso(c.edited_at),
                }
                for c in comments
            ],
        ),
        Table(
            "revisions",
            ("comment_id", "number", "status", "body", "written_at", "replaced_at", "after_report"),
            [
                {
                    "comment_id": r.comment_id,
                    "number": r.number,
                    "status": r.status,
                    "body": r.body,
                    "written_at": _iso(r.written_at),
                    "replaced_at": _iso(r.replaced_at),
                    "after_report": r.after_report,
                    "redacted_at": _iso(r.redacted_at),
                }
                for r in revisions
            ],
        ),
        Table(
            "decisions",
            ("id", "time", "actor", "action", "comment_id", "user", "from", "to", "reason", "note"),
            [
                {
                    "id": a.pk,
                    "time": _iso(a.created_at),
                    "actor": a.actor.display_name if a.actor else "system",
                    "action": a.action,
                    "comment_id": a.comment_id,
                    "user": a.target_user.display_name if a.target_user else "",
                    "from": a.from_status,
                    "to": a.to_status,
                    "reason": a.reason,
                    "note": a.note,
                }
                for a in decisions
            ],
        ),
        Table(
            "reports",
            ("id", "comment_id", "reporter", "reason", "note", "created_at", "resolved_at"),
            [
                {
                    "id": r.pk,
                    "comment_id": r.comment_id,
                    "reporter": r.reporter.display_name,
                    "reason": r.reason,
                    "note": r.note,
                    "created_at": _iso(r.created_at),
                    "resolved_at": _iso(r.resolved_at),
                }
                for r in reports.order_by("created_at", "id")
            ],
        ),
        Table(
            "appeals",
            ("id", "comment_id", "appellant", "note", "created_at", "status", "decided_by"),
            [
                {
                    "id": a.pk,
                    "comment_id": a.comment_id,
                    "appellant": a.appellant.display_name,
                    "note": a.note,
                    "created_at": _iso(a.created_at),
                    "status": a.status,
                    "decided_by": a.decided_by.display_name if a.decided_by else "",
                    "decided_at": _iso(a.decided_at),
                    "outcome_note": a.outcome_note,
                }
                for a in appeals.order_by("created_at", "id")
            ],
        ),
    ]


def _csv(columns: Iterable[str], rows: list[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    cols = list(columns)
    writer.writerow(cols)
    for row in rows:
        writer.writerow([safe_cell(row.get(col, "")) for col in cols])
    return out.getvalue().encode()


def manifest_verifies(archive: bytes) -> bool:
    """Whether every file of an export matches the SHA-256 its manifest gives."""
    with zipfile.ZipFile(io.BytesIO(archive)) as zf:
        manifest = json.loads(zf.read("manifest.json"))
        files = manifest["files"]
        names = set(zf.namelist()) - {"manifest.json", "SHA256SUMS"}
        return names == set(files) and all(
            hashlib.sha256(zf.read(name)).hexdigest() == digest for name, digest in files.items()
        )


def hold_export(*, hold: LegalHold, by: User, now: datetime | None = None) -> bytes:
    """The hold's scope as a ZIP: every table as JSON and CSV, the hold itself,
    and a manifest of each file's SHA-256 (manifest.json and SHA256SUMS, which
    `sha256sum -c` checks). The export is audited with the archive's own hash."""
    _require(by)
    now = now or timezone.now()
    files: dict[str, bytes] = {
        "hold.json": json.dumps(
            {
                "id": hold.pk,
                "kind": hold.kind,
                "reference": hold.reference,
                "received_on": _iso(hold.received_on),
                "requester": hold.requester,
                "scope": hold.scope,
                "user_id": hold.user_id,
                "article_id": hold.article_id,
                "comment_ids": sorted(hold.comments.values_list("pk", flat=True)),
                "placed_by": hold.created_by.display_name,
                "placed_at": _iso(hold.created_at),
                "released_at": _iso(hold.released_at),
                "exported_by": by.display_name,
                "exported_at": _iso(now),
            },
            ensure_ascii=False,
            indent=2,
        ).encode()
    }
    for table in _tables(hold):
        files[f"{table.name}.json"] = json.dumps(table.rows, ensure_ascii=False, indent=2).encode()
        files[f"{table.name}.csv"] = _csv(table.columns, table.rows)
    digests = {name: hashlib.sha256(data).hexdigest() for name, data in files.items()}
    buffer = io.BytesIO()
    stamp = timezone.localtime(now).timetuple()[:6]
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(zipfile.ZipInfo(name, date_time=stamp), data)
        zf.writestr(
            zipfile.ZipInfo("manifest.json", date_time=stamp),
            json.dumps({"algorithm": "sha256", "files": digests}, indent=2),
        )
        zf.writestr(
            zipfile.ZipInfo("SHA256SUMS", date_time=stamp),
            "".join(f"{digest}  {name}\n" for name, digest in digests.items()),
        )
    archive = buffer.getvalue()
    with transaction.atomic():
        audit.record(
            action=ActionCode.LEGAL_HOLD_EXPORTED,
            actor=by,
            target_user_id=hold.user_id,
            reason=hold.kind,
            note=hold.reference,
            data={
                "hold": hold.pk,
                "sha256": hashlib.sha256(archive).hexdigest(),
                "files": digests,
            },
            now=now,
        )
    return archive
