"""The stylesheets every page loads, in cascade order, and the one file that bundles them,
in each direction.

Pages link the bundle (`{% stylesheets_links %}`, settings.CSS_BUNDLED, on in
production): one render-blocking request, Bootstrap cut down to the rules the templates
use, comments and spaces gone. Elsewhere they link the sources themselves, so an edit
shows at once. `make css` (scripts/build_css.py) writes the built files;
tests/site/test_css_build.py fails while one is out of date. A page-specific stylesheet
(the desk's) is linked by its own template instead.

Right to left (the Urdu interface) differs only in Bootstrap: its subset is cut from
the wheel's bootstrap.rtl.css, whose physical sides are mirrored. The project's own
stylesheets use logical properties (margin-inline-start, text-align: start ...), so the
same files serve both directions."""

from __future__ import annotations

# Paths under static/. The first is built: Bootstrap's rules that the markup uses.
BOOTSTRAP_SUBSET = "css/bootstrap-site.css"
BOOTSTRAP_SUBSET_RTL = "css/bootstrap-site.rtl.css"
PROJECT: tuple[str, ...] = (
    "css/site.css",
    "css/urdu.css",
    "css/readers.css",
)
SOURCES: tuple[str, ...] = (BOOTSTRAP_SUBSET, *PROJECT)
SOURCES_RTL: tuple[str, ...] = (BOOTSTRAP_SUBSET_RTL, *PROJECT)
BUNDLE = "css/metoo.css"
BUNDLE_RTL = "css/metoo.rtl.css"


def links(*, bundled: bool, rtl: bool) -> tuple[str, ...]:
    """The paths a page links, in order: the bundle or its sources, for a
    left-to-right or a right-to-left interface."""
    if bundled:
        return (BUNDLE_RTL if rtl else BUNDLE,)
    return SOURCES_RTL if rtl else SOURCES
