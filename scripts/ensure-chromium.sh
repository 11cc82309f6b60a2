#!/usr/bin/env bash
# Make sure the browser tests have Chromium, and a font that draws Urdu in screenshots.
# As root with apt-get, install what is missing (Debian's chromium and fonts-noto-core);
# otherwise say what to install and fail when Chromium itself is missing.
# CHROMIUM_PATH, when set, names the browser to use instead of one on the PATH.
set -euo pipefail

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

have_browser() {
  if [ -n "${CHROMIUM_PATH:-}" ]; then
    [ -x "$CHROMIUM_PATH" ] && return 0
    echo "error: CHROMIUM_PATH=$CHROMIUM_PATH is not an executable file." >&2
    exit 1
  fi
  # `type -P` looks at the PATH only: no alias or function can stand in for the binary.
  type -P chromium >/dev/null || type -P chromium-browser >/dev/null
}

have_urdu_font() {
  # Without fontconfig there is nothing to ask; Chromium brings its own fallback.
  type -P fc-list >/dev/null || return 0
  fc-list 2>/dev/null | grep -qi "Noto.*Arabic\|Nastaliq"
}

need=()
have_browser || need+=(chromium)
have_urdu_font || need+=(fonts-noto-core)
[ ${#need[@]} -eq 0 ] && exit 0

if [ "$(id -u)" = 0 ] && type -P apt-get >/dev/null; then
  log "Installing ${need[*]} (apt-get)"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq "${need[@]}" >/dev/null
  if [[ " ${need[*]} " == *" chromium "* ]] && ! have_browser; then
    echo "error: apt-get finished but no chromium is on the PATH." >&2
    exit 1
  fi
  exit 0
fi

if [[ " ${need[*]} " == *" chromium "* ]]; then
  echo "error: the browser tests need Chromium, which is not installed, and installing it" >&2
  echo "needs root. Install it, e.g.:" >&2
  echo "  sudo apt-get install chromium fonts-noto-core" >&2
  echo "or set CHROMIUM_PATH to a Chromium or Chrome binary." >&2
  exit 1
fi
echo "note: screenshots draw Urdu best with fonts-noto-core (sudo apt-get install fonts-noto-core)." >&2
