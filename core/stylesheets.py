"""The stylesheets every page loads, in cascade order, and the one file that bundles them.

Pages link the bundle (`{% stylesheets %}`, settings.CSS_BUNDLED, on in production): one
render-blocking request, Bootstrap cut down to the rules the templates use, comments
and spaces gone. Elsewhere they link the sources themselves, so an edit shows at once.
`make css` (scripts/build_css.py) writes both built files; tests/site/test_css_build.py
fails while either is out of date. A page-specific stylesheet (the desk's) is linked by
its own template instead."""

from __future__ import annotations

# Paths under static/. The first is built: Bootstrap's rules that the markup uses.
BOOTSTRAP_SUBSET = "css/bootstrap-site.css"
SOURCES: tuple[str, ...] = (
    BOOTSTRAP_SUBSET,
    "css/site.css",
    "css/urdu.css",
    "css/readers.css",
)
BUNDLE = "css/metoo.css"
