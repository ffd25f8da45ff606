#!/usr/bin/env bash
# One version number: manifest.json (what QRadar shows and upgrades by) must equal the Maven version.
set -euo pipefail
manifest=$1
expected=$2
[ -f "$manifest" ] || { echo "[bundle] ERROR: $manifest not found" >&2; exit 1; }
actual=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["version"])' "$manifest" 2>/dev/null) \
  || actual=$(sed -n 's/^ *"version" *: *"\([^"]*\)".*/\1/p' "$manifest" | head -n 1)
if [ "$actual" != "$expected" ]; then
  echo "[bundle] ERROR: manifest.json version is '$actual' but the Maven version is '$expected'." >&2
  echo "[bundle] Fix: set \"version\": \"$expected\" in manifest.json, or change <version> in every pom.xml." >&2
  exit 1
fi
echo "[bundle] manifest.json version $actual matches the build"
