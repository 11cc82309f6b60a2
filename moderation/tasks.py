"""Background work for moderation: telling authors about decisions, and training
a new version of the moderation model after enough new decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.mail import in_recipient_language
from comments.models import Comment
from core.dates import newsdate
from moderation import training
from moderation.models import Appeal, AppealStatus, ModelSource

# moderation.services.models sets it when it queues a retraining; cleared when done.
RETRAIN_QUEUED_KEY = "moderation:model-retrain-queued"


@task
def send_decision_email(*, comment_id: int, verb: str) -> bool:
    """Email the author that a moderator rejected or removed their comment, with
    the reason category and note. Returns whether a message was sent: the author
    may have turned these emails off, or the site setting may have since."""
    comment = Comment.objects.select_related("author", "article").filter(pk=comment_id).first()
    if comment is None or not settings.MODERATION_EMAILS_ENABLED:
        return False
    author = comment.author
    if not (author.is_active and author.notify_moderation and author.email):
        return False
    with in_recipient_language(author):
        subject, body = _decision_email(comment=comment, verb=verb)
    send_mail(subject, body, None, [author.email])
    return True


def _decision_email(*, comment: Comment, verb: str) -> tuple[str, str]:
    """The decision email's subject and body, in the active language."""
    author = comment.author
    context = {
        "comment": comment,
        "author": author,
        "article": comment.article,
        "verb": verb,
        "reason": comment.get_reason_category_display(),
        "explanation": comment.reason_explanation,
        "note": comment.note_to_author,
        "decided_at": newsdate(comment.status_changed_at),
        "site_name": settings.SITE_NAME,
        "my_comments_url": settings.SITE_URL + reverse("accounts:my_comments"),
        "guidelines_url": settings.SITE_URL + reverse("guidelines") + "#reasons",
        "appeal_url": settings.SITE_URL + reverse("moderation:appeal_new", args=[comment.pk]),
    }
    subject = render_to_string("emails/moderation_decision_subject.txt", context).strip()
    body = render_to_string("emails/moderation_decision.txt", context)
    return subject, body


@task
def send_appeal_outcome_email(*, appeal_id: int) -> bool:
    """Email the author how their appeal was decided, and why. Returns whether a
    message was sent (the author may have turned moderation emails off)."""
    appeal = (
        Appeal.objects.select_related("comment", "comment__article", "appellant", "decision")
        .filter(pk=appeal_id)
        .first()
    )
    if appeal is None or appeal.status == AppealStatus.OPEN:
        return False
    author = appeal.appellant
    if not (settings.MODERATION_EMAILS_ENABLED and author.is_active and author.notify_moderation):
        return False
    with in_recipient_language(author):
        subject, body = _appeal_outcome_email(appeal=appeal)
    send_mail(subject, body, None, [author.email])
    return True


def _appeal_outcome_email(*, appeal: Appeal) -> tuple[str, str]:
    """The appeal outcome email's subject and body, in the active language."""
    author = appeal.appellant
    context = {
        "appeal": appeal,
        "author": author,
        "comment": appeal.comment,
        "article": appeal.comment.article,
        "overturned": appeal.status == AppealStatus.OVERTURNED,
        "decision": appeal.decision.get_action_display().lower(),
        "decision_code": appeal.decision.action,
        "note": appeal.outcome_note,
        "decided_at": newsdate(appeal.decided_at),
        "site_name": settings.SITE_NAME,
        "my_comments_url": settings.SITE_URL + reverse("accounts:my_comments"),
    }
    subject = render_to_string("emails/appeal_outcome_subject.txt", context).strip()
    body = render_to_string("emails/appeal_outcome.txt", context)
    return subject, body


@task()
def retrain_moderation_model() -> int | None:
    """Train a new version of the moderation model on every decision so far (with
    the bundled corpus, as settings say), as the system. It stays inactive until a
    moderator activates it on the evaluation page. Returns its id, or None when
    there are not yet enough decisions."""
    try:
        version = training.train_version(by=None, source=ModelSource.DECISIONS, now=timezone.now())
    except training.TrainingError:
        # Nothing to learn from yet (too few decisions, or only one kind): the mark
        # stays until it runs out, so the decisions meanwhile do not each try again.
        return None
    cache.delete(RETRAIN_QUEUED_KEY)
    return version.pk
