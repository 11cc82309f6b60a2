"""{% comment_form_guard %}: the honeypot field and the signed time stamp every
form that posts a comment carries (checked by comments.forms.CommentForm: each
stamp is good for one comment, for COMMENT_FORM_MAX_AGE_HOURS)."""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.translation import gettext as _

from comments.forms import HONEYPOT_FIELD, STAMP_FIELD, form_stamp

register = template.Library()


@register.simple_tag
def comment_form_guard() -> str:
    # Hidden from sight and from assistive technology; a label without an id keeps
    # several comment forms on one page valid.
    return format_html(
        '<div class="visually-hidden" aria-hidden="true"><label>{} '
        '<input type="text" name="{}" value="" tabindex="-1" autocomplete="off"></label></div>'
        '<input type="hidden" name="{}" value="{}">',
        _("Leave this field empty"),
        HONEYPOT_FIELD,
        STAMP_FIELD,
        form_stamp(),
    )
