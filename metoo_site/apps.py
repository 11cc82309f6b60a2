from django.apps import AppConfig


class MetooSiteConfig(AppConfig):
    """Site-wide pieces with no models: template tags, health check, demo data."""

    name = "metoo_site"
    verbose_name = "Site"
