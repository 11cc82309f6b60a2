#!/usr/bin/env bash
# Print the path of a Python >= 3.12 interpreter, or explain and fail.
# Looks at $PYTHON, then python3.13/python3.12/python3 on PATH, then pyenv's
# installed versions (pyenv's shims refuse versions that are not selected, so we
# ask pyenv for each version's prefix instead of calling the shim).
set -u
ok() { "$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; }
candidates=()
[ -n "${PYTHON:-}" ] && candidates+=("$PYTHON")
for name in python3.14 python3.13 python3.12 python3; do
  p=$(command -v "$name" 2>/dev/null) && candidates+=("$p")
done
if command -v pyenv >/dev/null 2>&1; then
  for v in $(pyenv versions --bare 2>/dev/null | sort -rV); do
    prefix=$(pyenv prefix "$v" 2>/dev/null) || continue
    for name in python3 python; do
      [ -x "$prefix/bin/$name" ] && candidates+=("$prefix/bin/$name")
    done
  done
fi
for c in "${candidates[@]}"; do
  if ok "$c"; then echo "$c"; exit 0; fi
done
echo "error: metoo needs Python 3.12 or newer and none was found." >&2
echo "Install one (e.g. 'pyenv install 3.13' or your distribution's python3.12)," >&2
echo "or point PYTHON at it: make run PYTHON=/path/to/python3.12" >&2
exit 1
