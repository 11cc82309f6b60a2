from django.apps import AppConfig


class ModerationConfig(AppConfig):
    name = "moderation"
    verbose_name = "Moderation"

    def ready(self) -> None:
        # articles, at the bottom of the layers, announces each newly listed name or
        # spelling (articles.people.people_listed); moderation takes back the comments
        # it now matches. Connected here, Django's documented place for receivers, so
        # every process (the site, commands, the task worker) has it before any service
        # runs; the models are not loaded when this module is, hence the imports here.
        from articles.people import people_listed
        from moderation.services.people import on_people_listed

        people_listed.connect(on_people_listed, dispatch_uid="moderation.people_listed")
