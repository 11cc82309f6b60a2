"""Background work for comments: emails, sent through Django's tasks API so a slow
mail server never slows down posting."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.tasks import task
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from accounts.mail import in_recipient_language
from accounts.unsubscribe import unsubscribe_url
from comments.models import Comment, CommentStatus


@task()
def send_reply_email(*, comment_id: int) -> bool:
    """Tell a comment's author that someone replied. Re-checks everything at send
    time: the reply may have been deleted or the reader may have opted out since."""
    reply = (
        Comment.objects.select_related("author", "parent__author", "article")
        .filter(pk=comment_id)
        .first()
    )
    if reply is None or reply.parent is None or reply.status != CommentStatus.PUBLISHED:
        return False
    recipient = reply.parent.author
    if (
        recipient.pk == reply.author_id
        or not recipient.is_active
        or not recipient.notify_replies
        or reply.parent.status != CommentStatus.PUBLISHED
    ):
        return False
    unsubscribe = unsubscribe_url(user_id=recipient.pk, kind="replies")
    context = {
        "reply": reply,
        "recipient": recipient,
        "article": reply.article,
        "reply_url": settings.SITE_URL + reply.get_absolute_url(),
        "unsubscribe_url": unsubscribe,
        "SITE_NAME": settings.SITE_NAME,
    }
    with in_recipient_language(recipient):
        subject = _("[%(site)s] %(name)s replied to your comment") % {
            "site": settings.SITE_NAME,
            "name": reply.author.display_name,
        }
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("emails/reply_notification.txt", context),
            to=[recipient.email],
            headers={
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            },
        )
        message.attach_alternative(
            render_to_string("emails/reply_notification.html", context), "text/html"
        )
    message.send()
    return True
