from __future__ import annotations

from typing import Any

from django.apps import AppConfig
from django.utils.module_loading import import_string

# The receiver of articles.people.people_listed, named rather than imported: it lives
# in moderation.services, whose import pulls in the whole moderation stack (the model's
# training code and numpy among it), a quarter of a second that a process which never
# lists a name (a management command: the Disqus import, a migration) need not pay. It
# is imported the first time a name is listed, once per process.
_PEOPLE_LISTED_RECEIVER = "moderation.services.people.on_people_listed"


def _on_people_listed(sender: Any, **kwargs: Any) -> int:
    # The answer is the count of comments taken back, which articles.people adds up.
    taken_back: int = import_string(_PEOPLE_LISTED_RECEIVER)(sender=sender, **kwargs)
    return taken_back


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # articles, at the bottom of the layers, announces each newly listed name or
        # spelling (articles.people.people_listed); moderation takes back the comments
        # it now matches. Connected here, Django's documented place for receivers, so
        # every process (the site, commands, the task worker) has it before any service
        # runs; the models are not loaded when this module is, hence the import here.
        from articles.people import people_listed

        people_listed.connect(_on_people_listed, dispatch_uid="moderation.people_listed")
