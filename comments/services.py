"""What a reader does with comments: post, reply, edit, withdraw, recommend,
report. Each act is checked against comments.access (the one "may act" rule);
each new or edited text is screened (moderation.screening), and every status
it sets or changes goes through moderation.lifecycle, which audits it."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q, Sum
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from articles.models import Article
from comments import access
from comments.cache import thread_changed
from comments.models import Comment, CommentStatus, Pick, Recommendation
from comments.tasks import send_reply_email
from comments.text import BodyError, clean_body, render_body
from comments.tree import ip_hash, next_comment_ids, path_for
from core.languages import language_of
from moderation import audit, lifecycle, screening
from moderation.models import (
    REPORT_WEIGHT_MAX,
    ActionCode,
    Report,
    ReportReason,
    comments_under_hold,
)

# A second identical submission within this window is the same post (a double
# click or a resent form), not a new comment.
RESUBMIT_WINDOW = timedelta(seconds=120)


class CommentError(Exception):
    """A comment that cannot be accepted; the message is shown to the reader."""


class VerificationRequired(CommentError):
    """The author has not verified their email yet; the view resends the link."""


def _check_can_post(*, author: User, article: Article, now: datetime) -> None:
    if not author.is_authenticated or not author.is_active:
        raise CommentError(_("Sign in to comment."))
    if not article.is_visible(now):
        raise CommentError(_("This article is not available for comments."))
    if not article.comments_open(now):
        raise CommentError(_("Comments are closed on this article."))
    if not EmailAddress.objects.filter(user=author, verified=True).exists():
        raise VerificationRequired(
            _("Please verify your email address before commenting: we have sent you a link.")
        )


def _check_parent(*, parent: Comment, article: Article, now: datetime) -> None:
    if parent.article_id != article.pk:
        raise CommentError(_("You can only reply to a comment on the same article."))
    problem = access.refusal(
        access.Act.REPLY,
        signed_in=True,
        mine=False,
        status=parent.status,
        in_edit_window=False,
        comments_open=article.comments_open(now),
        # A reply is not judged on the reader's standing: `_check_can_post` asks
        # for a confirmed address (and sends the link), screening refuses a
        # sanctioned author.
        standing=access.IN_GOOD_STANDING,
    )
    if problem:
        raise CommentError(problem)


def _notify_reply_after_commit(comment: Comment, parent: Comment | None) -> None:
    """Queue the reply email once the reply is durably stored and visible; a
    rolled-back or held reply never mails anyone."""
    if parent is None or comment.status != CommentStatus.PUBLISHED:
        return
    if parent.author_id == comment.author_id:
        return
    transaction.on_commit(lambda: send_reply_email.enqueue(comment_id=comment.pk))


def comment_post(
    *,
    author: User,
    article: Article,
    body: str,
    parent: Comment | None = None,
    ip: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> Comment:
    """Store a new comment or reply after screening.

    Returns the stored comment whose status says what happened (published,
    pending with reasons, or rejected). Raises CommentError, storing nothing,
    when the comment cannot be accepted at all. Idempotent for a resubmission
    of the same text within RESUBMIT_WINDOW.
    """
    now = now or timezone.now()
    try:
        body = clean_body(body)
    except BodyError as exc:
        raise CommentError(str(exc)) from None
    _check_can_post(author=author, article=article, now=now)
    if parent is not None:
        _check_parent(parent=parent, article=article, now=now)

    with transaction.atomic():
        # Serialise one author's posts so a double click cannot race past the check
        # below; the same query reads whose names to screen (moderation.screening).
        people_version = screening.posting_locks(author_id=author.pk, article_id=article.pk)
        earlier = (
            Comment.objects.filter(
                author=author,
                article=article,
                parent=parent,
                body=body,
                created_at__gte=now - RESUBMIT_WINDOW,
            )
            .order_by("-id")
            .first()
        )
        if earlier is not None:
            return earlier

        try:
            # Screening may refuse outright (a banned author, a flood), storing nothing.
            verdict = screening.screen_submission(
                author=author, article=article, body=body, people_version=people_version
            )
        except screening.AuthorRefused as exc:
            raise CommentError(str(exc)) from exc
        status = lifecycle.status_for_verdict(verdict)
        (comment_id,) = next_comment_ids(1)
        comment = Comment.objects.create(
            id=comment_id,
            article=article,
            parent=parent,
            root_id=parent.root_id if parent else comment_id,
            path=path_for(comment_id, parent),
            depth=parent.depth + 1 if parent else 0,
            author=author,
            body=body,
            body_html=render_body(body),
            body_lang=language_of(body),
            status=status,
            hold_reasons=[hit.as_dict() for hit in verdict.hits],
            created_at=now,
            status_changed_at=now,
            ip_hash=ip_hash(ip),
            user_agent=user_agent[:300],
        )
        lifecycle.comment_created(comment=comment, verdict=verdict, now=now)
        _notify_reply_after_commit(comment, parent)
    return comment


def _may(act: access.Act, *, comment: Comment, by: User | None, now: datetime) -> None:
    """Raise CommentError with the reader's reason when `by` may not `act` now."""
    problem = access.refusal_for(act, user=by, comment=comment, now=now)
    if problem:
        raise CommentError(problem)


def comment_edit(*, comment: Comment, by: User, body: str, now: datetime | None = None) -> Comment:
    """The author changes their comment within the edit window. The new text is
    screened exactly like a new comment; its status follows (lifecycle.edit)."""
    now = now or timezone.now()
    _may(access.Act.EDIT, comment=comment, by=by, now=now)
    try:
        body = clean_body(body, doing="saving")
        verdict = screening.screen_submission(
            author=by, article=comment.article, body=body, editing=comment
        )
        return lifecycle.edit(
            comment=comment, body=body, body_html=render_body(body), verdict=verdict, now=now
        )
    except (BodyError, screening.AuthorRefused, lifecycle.ModerationError) as exc:
        raise CommentError(str(exc)) from exc


def comment_delete(*, comment: Comment, by: User, now: datetime | None = None) -> Comment:
    """The author withdraws their comment. It is kept as a placeholder so the thread
    keeps its shape (the thread view hides it when nothing answers it)."""
    now = now or timezone.now()
    _may(access.Act.DELETE, comment=comment, by=by, now=now)
    return lifecycle.withdraw(comment=comment, by=by, now=now)


def recommendation_toggle(*, comment: Comment, by: User, now: datetime | None = None) -> bool:
    """Recommend a published comment, or take the recommendation back.

    Returns whether the reader now recommends it. `Comment.recommend_count` moves
    with the row in the same transaction; the comment row lock makes a double
    click toggle twice in order rather than race."""
    now = now or timezone.now()
    with transaction.atomic():
        current = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        _may(access.Act.RECOMMEND, comment=current, by=by, now=now)
        deleted, _ = Recommendation.objects.filter(user=by, comment=current).delete()
        if deleted:
            Comment.objects.filter(pk=current.pk).update(
                recommend_count=Greatest(F("recommend_count") - 1, 0)
            )
            recommended = False
        else:
            Recommendation.objects.create(user=by, comment=current, created_at=now)
            Comment.objects.filter(pk=current.pk).update(recommend_count=F("recommend_count") + 1)
            recommended = True
        thread_changed(current.article_id)
    comment.refresh_from_db(fields=["recommend_count"])
    return recommended


def comment_feature(
    *, comment: Comment, by: User, featured: bool, now: datetime | None = None
) -> Comment:
    """An editor or a moderator makes a published comment an editors' pick
    (`featured`), or takes the pick back. Audited (COMMENT_FEATURED or
    COMMENT_UNFEATURED) in the same transaction; the thread shows it at once
    (its version moves). Asking for what already is changes nothing and logs
    nothing. Raises CommentError: not allowed, or the comment is not published."""
    now = now or timezone.now()
    if not access.can_feature(by):
        raise CommentError(_("Only editors and moderators can choose editors' picks."))
    with transaction.atomic():
        current = Comment.objects.select_for_update().get(pk=comment.pk)
        if featured and current.status != CommentStatus.PUBLISHED:
            raise CommentError(_("Only a published comment can be an editors' pick."))
        if current.is_featured == featured:
            return current
        current.is_featured = featured
        if featured:
            Pick.objects.create(
                comment=current, article_id=current.article_id, by=by, created_at=now
            )
        else:
            Pick.objects.filter(comment=current).delete()
        # Not its version: a pick is not a change moderators decide against (the
        # thread's remembered HTML of a comment is keyed by the flag as well).
        Comment.objects.filter(pk=current.pk).update(is_featured=featured)
        audit.record(
            action=ActionCode.COMMENT_FEATURED if featured else ActionCode.COMMENT_UNFEATURED,
            actor=by,
            now=now,
            comment=current,
            from_status=current.status,
            to_status=current.status,
        )
        thread_changed(current.article_id)
    return current


# ---------------------------------------------------------------- reports and their weight
#
# A published comment is hidden (back to pending, until a moderator decides) when
# its open reports weigh REPORT_HIDE_THRESHOLD together (default 3: "three
# trusted readers"). What a report weighs is fixed when it is filed, from the
# reporter's standing then, as Discourse scores flags:
#
#   account age      under 7 days: 0      7 to 30 days: 0.5      30 days or more: 1
#   + 0.25 for each earlier report of theirs a moderator upheld (at most + 1)
#   - 0.5  for each earlier report of theirs a moderator dismissed
#   kept between 0 and REPORT_WEIGHT_MAX (2)
#
# Upheld: the comment was then rejected or removed. Dismissed: it was kept
# (published after the decision: the reports dismissed, or the hidden comment
# approved). Read from the comment's status now, so a comment restored later
# turns its reports into dismissed ones. A report still open counts as neither.
#
# So an account in its first week with no upheld report weighs nothing: any
# number of them cannot hide a comment (their reports still reach the Reported
# tab). Three readers of a month or more, or with four upheld reports each, can.
# A mistaken report costs twice what a good one earns.
REPORT_WEIGHT_SETTLING = timedelta(days=7)
REPORT_WEIGHT_ESTABLISHED = timedelta(days=30)
_UPHELD_STATUSES = (CommentStatus.REJECTED, CommentStatus.REMOVED)


def report_weight(*, joined: datetime, upheld: int, dismissed: int, now: datetime) -> Decimal:
    """What a report weighs (see above): the account's age at `now` and the
    reporter's earlier reports that moderators upheld or dismissed."""
    age = now - joined
    if age >= REPORT_WEIGHT_ESTABLISHED:
        weight = Decimal("1")
    elif age >= REPORT_WEIGHT_SETTLING:
        weight = Decimal("0.5")
    else:
        weight = Decimal("0")
    weight += min(Decimal("0.25") * upheld, Decimal("1"))
    weight -= Decimal("0.5") * dismissed
    return min(max(weight, Decimal("0")), REPORT_WEIGHT_MAX).quantize(Decimal("0.01"))


def reporter_weight(*, reporter: User, now: datetime) -> Decimal:
    """`report_weight` of a report `reporter` files at `now`, from their record."""
    record = Report.objects.filter(reporter_id=reporter.pk, resolved_at__isnull=False).aggregate(
        upheld=Count("pk", filter=Q(comment__status__in=_UPHELD_STATUSES)),
        dismissed=Count("pk", filter=Q(comment__status=CommentStatus.PUBLISHED)),
    )
    return report_weight(
        joined=reporter.date_joined,
        upheld=record["upheld"],
        dismissed=record["dismissed"],
        now=now,
    )


def report_file(
    *, comment: Comment, by: User, reason: str, note: str = "", now: datetime | None = None
) -> Report:
    """A reader reports a comment. One report per reader per comment, from a
    confirmed, unsanctioned reader (comments.access). The report weighs the
    reporter's standing (`report_weight`); when the open reports on a published
    comment weigh REPORT_HIDE_THRESHOLD together it is hidden (back to pending)
    and waits in the Reported tab for a decision."""
    now = now or timezone.now()
    if reason not in ReportReason.values:
        raise CommentError(_("Choose one of the listed reasons for your report."))
    with transaction.atomic():
        current = Comment.objects.select_for_update().select_related("article").get(pk=comment.pk)
        _may(access.Act.REPORT, comment=current, by=by, now=now)
        try:
            with transaction.atomic():
                report = Report.objects.create(
                    comment=current,
                    reporter=by,
                    reason=reason,
                    note=note.strip()[:1000],
                    created_at=now,
                    weight=reporter_weight(reporter=by, now=now),
                )
        except IntegrityError:
            raise CommentError(_("You have already reported this comment.")) from None
        Comment.objects.filter(pk=current.pk).update(report_count=F("report_count") + 1)
        open_reports = Report.objects.filter(comment=current, resolved_at__isnull=True).aggregate(
            n=Count("pk"), weight=Sum("weight")
        )
        weight = open_reports["weight"] or Decimal("0")
        if weight >= settings.REPORT_HIDE_THRESHOLD:
            lifecycle.hide_by_reports(
                comment=current, open_reports=open_reports["n"], open_weight=weight, now=now
            )
    return report


def private_data_purge(*, older_than: datetime) -> int:
    """Blank the keyed IP hash and user agent of comments posted before `older_than`.

    They exist only to spot floods and ban evasion while a comment is fresh; after
    that they are personal data we have no reason to keep. Returns how many
    comments were cleaned. Idempotent."""
    with transaction.atomic():
        return (
            Comment.objects.filter(created_at__lt=older_than)
            .exclude(ip_hash="", user_agent="")
            .exclude(comments_under_hold())  # kept while a legal hold stands
            .update(ip_hash="", user_agent="")
        )


def author_private_data_purge(*, author: User) -> int:
    """Blank the IP hashes and user agents of everything one author posted (their
    account is being deleted)."""
    with transaction.atomic():
        return (
            Comment.objects.filter(author=author)
            .exclude(ip_hash="", user_agent="")
            .exclude(comments_under_hold())  # kept while a legal hold stands
            .update(ip_hash="", user_agent="")
        )


def recommendations_withdraw_all(*, user: User) -> int:
    """Take back every recommendation a reader made (their account is being
    deleted), keeping each comment's denormalised count in step."""
    with transaction.atomic():
        comment_ids = list(
            Recommendation.objects.filter(user=user)
            .order_by("comment_id")
            .values_list("comment_id", flat=True)
        )
        # Row locks in id order, as recommendation_toggle takes them one at a time.
        list(Comment.objects.select_for_update().filter(pk__in=comment_ids).order_by("pk"))
        Recommendation.objects.filter(user=user).delete()
        Comment.objects.filter(pk__in=comment_ids).update(
            recommend_count=Greatest(F("recommend_count") - 1, 0)
        )
    return len(comment_ids)


def author_threads_changed(*, author: User) -> int:
    """The author's name changed (or their account was deleted): every thread they
    wrote in shows it, so each cached thread is marked changed. Returns how many."""
    article_ids = list(
        Comment.objects.filter(author=author)
        .order_by("article_id")
        .values_list("article_id", flat=True)
        .distinct()
    )
    for article_id in article_ids:
        thread_changed(article_id)
    return len(article_ids)
