"""The desk's lists of people: who an article concerns (protected, accused, public
figures, each with the ways their name is written), and the site-wide protected list.

Editors only, like the rest of the desk (`editor_required`: anonymous visitors to the
login page, everyone else 403, no-store). Every change goes through articles.people,
which checks the permission again, logs it on the article, and tells how many
published comments a new name or spelling took back for review.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from articles import people as services
from articles import selectors
from articles.desk import EditorRequest, editor_required
from articles.forms import PersonChangeForm, PersonForm, ProtectedNameForm, SpellingForm
from articles.models import Article, Person, PersonRole, PersonVariant, role_word


def _held_words(held: int) -> str:
    if held == 0:
        return _("No published comment matches it.")
    return ngettext(
        "%(count)d published comment now matches and was taken back for review.",
        "%(count)d published comments now match and were taken back for review.",
        held,
    ) % {"count": held}


def _where(person: Person) -> str:
    if person.article_id is None:
        return reverse("desk:protected")
    return reverse("desk:people", args=[person.article_id])


def _errors(request: EditorRequest, form: SpellingForm | PersonChangeForm) -> None:
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, str(error))


def _people_page(
    request: EditorRequest, article: Article, form: PersonForm | None = None
) -> HttpResponse:
    return render(
        request,
        "desk/people.html",
        {
            "article": article,
            "people": selectors.article_people(article=article),
            "form": form or PersonForm(initial={"role": PersonRole.PROTECTED}),
            "suggestions": selectors.person_suggestions(article=article),
            "events": [
                e
                for e in selectors.article_events(article=article)[:200]
                if e.action.startswith("person.")
            ],
            "roles": PersonRole.choices,
        },
    )


@editor_required
@require_safe
def people(request: EditorRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    if "suggest" in request.GET:
        # A name the desk found in the text: the editor still chooses the role.
        form = PersonForm(initial={"name": request.GET.get("suggest", "")[:120]})
        return _people_page(request, article, form)
    return _people_page(request, article)


@editor_required
@require_POST
def person_add(request: EditorRequest, pk: int) -> HttpResponse:
    article = get_object_or_404(Article, pk=pk)
    form = PersonForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            listing = services.person_list(
                article=article,
                by=request.user,
                name=data["name"],
                role=data["role"],
                variants=services.split_variants(data["variants"]),
                note=data["note"],
                now=timezone.now(),
            )
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            person = listing.person
            messages.success(
                request,
                _("Listed %(name)s (%(role)s).")
                % {"name": person.name, "role": role_word(person.role)}
                + " "
                + _held_words(listing.held),
            )
            return redirect("desk:people", pk=article.pk)
    return _people_page(request, article, form)


@editor_required
@require_safe
def protected(request: EditorRequest) -> HttpResponse:
    return render(
        request,
        "desk/protected.html",
        {
            "people": selectors.site_wide_people(),
            "form": ProtectedNameForm(),
            "events": selectors.site_wide_events(),
            "roles": PersonRole.choices,
        },
    )


@editor_required
@require_POST
def protected_add(request: EditorRequest) -> HttpResponse:
    form = ProtectedNameForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            listing = services.person_list(
                article=None,
                by=request.user,
                name=data["name"],
                role=PersonRole.PROTECTED,
                variants=services.split_variants(data["variants"]),
                note=data["note"],
                now=timezone.now(),
            )
        except services.PeopleError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request,
                _("%(name)s is protected on every page of the site.")
                % {"name": listing.person.name}
                + " "
                + _held_words(listing.held),
            )
            return redirect("desk:protected")
    return render(
        request,
        "desk/protected.html",
        {
            "people": selectors.site_wide_people(),
            "form": form,
            "events": selectors.site_wide_events(),
            "roles": PersonRole.choices,
        },
    )


@editor_required
@require_POST
def person_change(request: EditorRequest, person_pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_pk)
    form = PersonChangeForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_where(person))
    try:
        listing = services.person_change(
            person=person,
            by=request.user,
            role=form.cleaned_data["role"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        )
    except services.PeopleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("Saved %(name)s.") % {"name": person.name} + " " + _held_words(listing.held)
        )
    return redirect(_where(person))


@editor_required
@require_POST
def person_remove(request: EditorRequest, person_pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_pk)
    try:
        services.person_remove(person=person, by=request.user, now=timezone.now())
    except services.PeopleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _(
                "Removed %(name)s from the list. Comments held because of them stay "
                "held until a moderator decides."
            )
            % {"name": person.name},
        )
    return redirect(_where(person))


@editor_required
@require_POST
def variant_add(request: EditorRequest, person_pk: int) -> HttpResponse:
    person = get_object_or_404(Person, pk=person_pk)
    form = SpellingForm(request.POST)
    if not form.is_valid():
        _errors(request, form)
        return redirect(_where(person))
    try:
        listing = services.variant_add(
            person=person, by=request.user, text=form.cleaned_data["text"], now=timezone.now()
        )
    except services.PeopleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Added “%(text)s” for %(name)s.")
            % {"text": form.cleaned_data["text"].strip(), "name": person.name}
            + " "
            + _held_words(listing.held),
        )
    return redirect(_where(person))


@editor_required
@require_POST
def variant_remove(request: EditorRequest, variant_pk: int) -> HttpResponse:
    variant = get_object_or_404(PersonVariant.objects.select_related("person"), pk=variant_pk)
    try:
        services.variant_remove(variant=variant, by=request.user, now=timezone.now())
    except services.PeopleError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request,
            _("Removed “%(text)s” for %(name)s.")
            % {"text": variant.text, "name": variant.person.name},
        )
    return redirect(_where(variant.person))
