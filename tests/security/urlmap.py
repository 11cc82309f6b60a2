"""Every URL of the site, from the URL configuration, filled with real objects."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Django admin's own pages: the matrix covers its index; the admin checks
# is_staff for every page behind it in one place (AdminSite.admin_view).
ADMIN_NAMESPACE = "admin"


def url_names() -> list[str]:
    """Every named URL pattern, namespaced ("comments:post"), admin internals left out."""
    names: list[str] = []

    def walk(patterns, namespace: str | None) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                ns = pattern.namespace
                full = f"{namespace}:{ns}" if namespace and ns else (ns or namespace)
                if full == ADMIN_NAMESPACE:
                    names.append("admin:index")
                    continue
                walk(pattern.url_patterns, full)
            elif isinstance(pattern, URLPattern):
                if not pattern.name:
                    raise AssertionError(f"Unnamed URL pattern {pattern.pattern}: name it")
                names.append(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver().url_patterns, None)
    return sorted(set(names))


def concrete_url(name: str, world, unsubscribe_token: str) -> str:
    """A real address for the URL name, pointing at the world's objects."""
    c = world.published
    args: dict[str, list] = {
        "articles:section": [world.section.slug],
        "articles:section_rss": [world.section.slug],
        "articles:section_atom": [world.section.slug],
        "article": [world.article.slug],
        "article_all": [world.article.slug],
        "desk:edit": [world.draft.pk],
        "desk:publish": [world.draft.pk],
        "desk:schedule": [world.draft.pk],
        "desk:unpublish": [world.article.pk],
        "desk:people": [world.article.pk],
        "desk:person_add": [world.article.pk],
        "desk:person_change": [world.person.pk],
        "desk:person_remove": [world.person.pk],
        "desk:variant_add": [world.person.pk],
        "desk:variant_remove": [world.variant.pk],
        "comments:post": [world.article.slug],
        "comments:permalink": [c.pk],
        "comments:edit": [c.pk],
        "comments:delete": [c.pk],
        "comments:recommend": [c.pk],
        "comments:report": [c.pk],
        "comments:action": [c.pk, "reply"],
        "comments:draft": [world.article.slug],
        "comments:feature": [c.pk],
        "comments:desk_comments": [world.article.pk],
        "comments:live": [world.article.pk],
        "moderation:approve": [world.pending.pk],
        "moderation:reject": [world.pending.pk],
        "moderation:remove": [c.pk],
        "moderation:restore": [world.removed.pk],
        "moderation:dismiss": [c.pk],
        "moderation:people_variant_add": [world.pending.pk],
        "moderation:comment_history": [world.pending.pk],
        "moderation:appeal_decide": [world.appeal.pk],
        "moderation:appeal_new": [world.removed.pk],
        "moderation:hold": [world.hold.pk],
        "moderation:hold_release": [world.hold.pk],
        "moderation:hold_export": [world.hold.pk],
        "moderation:user": [world.author.pk],
        "moderation:user_sanction": [world.author.pk],
        "moderation:user_note": [world.author.pk],
        "moderation:sanction_lift": [world.sanction.pk],
        "moderation:word_remove": [world.word.pk],
        "moderation:model_version": [world.model_version.pk],
        "moderation:model_activate": [world.model_version.pk],
        "accounts:unsubscribe": [unsubscribe_token],
        "accounts:reader": [world.author.pk],
        "account_confirm_email": ["not-a-real-key"],
        "account_reset_password_from_key": ["2", "not-a-real-key"],
    }
    return reverse(name, args=args.get(name, []))
