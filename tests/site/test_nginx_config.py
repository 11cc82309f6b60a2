"""The nginx in front of the site: deploy/nginx.conf for production and the one
scripts/cluster.sh writes for the local cluster and `make bench` keep strangers'
article pages by the same rules, so what the bench measures is what production does
(docs/OPERATIONS.md, "Pages for readers on slow, metered lines")."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# The directives that decide what is kept, for whom, and how it is checked again.
CACHING = re.compile(
    r"^\s*((?:proxy_cache\w*|proxy_no_cache|proxy_ignore_headers|"
    r"proxy_set_header Accept-Encoding)\b.*;|\"~\*.*;|\"\" 0;|default (?:1|\"\");)\s*$"
)


def caching_rules(text: str) -> list[str]:
    return [m.group(1) for line in text.splitlines() if (m := CACHING.match(line))]


def production() -> list[str]:
    return caching_rules((ROOT / "deploy" / "nginx.conf").read_text())


def cluster() -> list[str]:
    script = (ROOT / "scripts" / "cluster.sh").read_text()
    conf = script.split('cat > "$DIR/nginx.conf" <<EOF', 1)[1].split("\nEOF\n", 1)[0]
    # The heredoc's shell escapes, undone: what nginx reads.
    conf = conf.replace("\\$", "$").replace("\\\\", "\\")
    return caching_rules(conf)


def test_production_and_the_bench_keep_strangers_pages_by_the_same_rules():
    rules = production()
    assert any(rule.startswith("proxy_cache_key ") for rule in rules)
    assert "proxy_cache_bypass $metoo_personal;" in rules
    assert "proxy_set_header Accept-Encoding $metoo_encoding;" in rules
    # The cache's path and size differ (a deployment's folder, the cluster's), the rules not.
    same = [rule for rule in rules if not rule.startswith("proxy_cache_path")]
    assert same == [rule for rule in cluster() if not rule.startswith("proxy_cache_path")]


def test_the_production_config_names_the_cookies_the_site_sets(settings):
    text = (ROOT / "deploy" / "nginx.conf").read_text()
    assert f"$cookie_{settings.SESSION_COOKIE_NAME}" in text
    assert "$cookie_messages" in text  # django.contrib.messages' CookieStorage
    assert "$cookie_comment_sort" in text  # comments.views.SORT_COOKIE
    assert f"$cookie_{settings.LANGUAGE_COOKIE_NAME}" in text  # accounts.language
