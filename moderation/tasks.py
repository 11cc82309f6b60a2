"""Background work for moderation: telling authors about decisions."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.template.loader import render_to_string
from django.urls import reverse

from comments.models import Comment


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
    context = {
        "comment": comment,
        "author": author,
        "article": comment.article,
        "verb": verb,
        "reason": comment.get_reason_category_display(),
        "note": comment.note_to_author,
        "site_name": settings.SITE_NAME,
        "my_comments_url": settings.SITE_URL + reverse("accounts:my_comments"),
        "guidelines_url": settings.SITE_URL + reverse("guidelines"),
    }
    subject = render_to_string("emails/moderation_decision_subject.txt", context).strip()
    body = render_to_string("emails/moderation_decision.txt", context)
    send_mail(subject, body, None, [author.email])
    return True
