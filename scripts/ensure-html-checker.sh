#!/usr/bin/env bash
# Make sure `make check-html` has the Nu Html Checker: a Java runtime, and vnu.jar from
# npm's vnu-jar package, installed into tools/html/node_modules exactly as
# tools/html/package-lock.json pins it (version and integrity hash; `npm ci`).
# As root with apt-get, install what is missing (Debian's default-jre-headless, npm);
# otherwise say what to install and fail. Prints the path of vnu.jar.
set -euo pipefail
cd "$(dirname "$0")/.."

log() { printf '\033[1m==> %s\033[0m\n' "$*" >&2; }

TOOLS=tools/html
JAR=$TOOLS/node_modules/vnu-jar/build/dist/vnu.jar

need=()
type -P java >/dev/null || need+=(default-jre-headless)
type -P npm >/dev/null || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && type -P apt-get >/dev/null; then
    log "Installing ${need[*]} (apt-get)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  else
    echo "error: make check-html needs ${need[*]}, and installing it needs root. E.g.:" >&2
    echo "  sudo apt-get install ${need[*]}" >&2
    exit 1
  fi
fi

# npm ci again whenever the lock changed since the last install.
if [ ! -f "$JAR" ] || [ ! -f "$TOOLS/node_modules/.installed" ] \
   || [ "$TOOLS/package-lock.json" -nt "$TOOLS/node_modules/.installed" ]; then
  log "Installing the Nu Html Checker (npm ci in $TOOLS, pinned by package-lock.json)"
  # --ignore-scripts: vnu-jar's postinstall only offers to download a Java runtime,
  # which comes from apt here.
  (cd "$TOOLS" && npm ci --ignore-scripts --no-audit --no-fund --loglevel=error >&2)
  touch "$TOOLS/node_modules/.installed"
fi
echo "$JAR"
