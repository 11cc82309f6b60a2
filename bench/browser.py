"""A reader's view, for `make bench`: open a page in Chromium (the system's, through
Playwright, as tests/e2e does) over a throttled line, and report when its largest
piece of content was painted and how many bytes came over the wire.

    python bench/browser.py URL [LOADS]

Prints one JSON object per load: {"lcp_ms", "bytes", "html_bytes", "requests",
"element"}. Each load is a fresh browser context (nothing cached) on Lighthouse's
"slow 4G" line: 150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up (Chromium's own
network throttling, through the DevTools protocol), on a phone-sized screen.
"""

from __future__ import annotations

import json
import os
import shutil
import sys

from playwright.sync_api import sync_playwright

SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1.6e6 / 8,
    "uploadThroughput": 750e3 / 8,
}
PHONE = {"viewport": {"width": 412, "height": 915}, "device_scale_factor": 2.6, "is_mobile": True}

# Largest contentful paint as the page itself reports it (buffered: entries from
# before the observer was made count too).
LCP_OBSERVER = """
window.__lcp = {ms: 0, element: ""};
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const el = entry.element;
    window.__lcp = {ms: entry.startTime, element: el ? el.tagName.toLowerCase() +
      (el.className ? "." + String(el.className).split(" ")[0] : "") : ""};
  }
}).observe({type: "largest-contentful-paint", buffered: true});
"""


def chromium() -> str:
    path = (
        os.environ.get("CHROMIUM_PATH")
        or shutil.which("chromium")
        or shutil.which("chromium-browser")
    )
    if not path:
        sys.exit("bench/browser.py needs Chromium (scripts/ensure-chromium.sh installs it)")
    return path


def load(browser, url: str) -> dict[str, object]:
    context = browser.new_context(**PHONE)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    cdp.send("Network.enable")
    cdp.send("Network.setCacheDisabled", {"cacheDisabled": True})
    cdp.send("Network.emulateNetworkConditions", SLOW_4G)
    sizes: dict[str, int] = {}
    urls: dict[str, str] = {}
    cdp.on(
        "Network.requestWillBeSent", lambda e: urls.setdefault(e["requestId"], e["request"]["url"])
    )
    cdp.on(
        "Network.loadingFinished",
        lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]),
    )
    page.add_init_script(LCP_OBSERVER)
    page.goto(url, wait_until="load")
    # LCP is final once the page is loaded and nothing larger is coming; a moment
    # more lets the last entry be delivered.
    page.wait_for_timeout(300)
    lcp = page.evaluate("window.__lcp")
    html = sum(size for rid, size in sizes.items() if urls.get(rid) == url)
    context.close()
    return {
        "lcp_ms": round(lcp["ms"]),
        "element": lcp["element"],
        "bytes": sum(sizes.values()),
        "html_bytes": html,
        "requests": len(sizes),
    }


def main() -> None:
    url = sys.argv[1]
    loads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
    with sync_playwright() as pw:
        browser = pw.chromium.launch(
            executable_path=chromium(),
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        load(browser, url)  # the browser's own start-up is not the page's
        for _ in range(loads):
            print(json.dumps(load(browser, url)), flush=True)
        browser.close()


if __name__ == "__main__":
    main()
