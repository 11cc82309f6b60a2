#!/usr/bin/env bash
# Make sure GNU gettext is here: `make messages` and the translation check of
# `make test` extract with xgettext and merge, compile and inspect with msgmerge,
# msgfmt and msgattrib (scripts/messages.py). Serving the site needs none of them:
# the compiled catalogs are committed. As root with apt-get, install Debian's
# gettext; otherwise say what to install and fail.
set -euo pipefail

missing=0
for tool in xgettext msgmerge msgfmt msgattrib; do
  type -P "$tool" >/dev/null || missing=1
done
[ "$missing" = 0 ] && exit 0

if [ "$(id -u)" = 0 ] && type -P apt-get >/dev/null; then
  printf '\033[1m==> %s\033[0m\n' "Installing gettext (apt-get)" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null
  apt-get install -y -qq gettext >/dev/null
  type -P msgattrib >/dev/null && exit 0
  echo "error: apt-get finished but gettext's tools are not on the PATH." >&2
  exit 1
fi
echo "error: the translation check needs GNU gettext (xgettext, msgfmt, msgattrib)," >&2
echo "which is not installed, and installing it needs root. Install it, e.g.:" >&2
echo "  sudo apt-get install gettext" >&2
exit 1
