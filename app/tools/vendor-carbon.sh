#!/usr/bin/env bash
# Refreshes the vendored IBM Carbon stylesheet (Apache-2.0) from npm. Run by hand when upgrading; the result is
# committed, so the Java build needs no Node. Web fonts are dropped: they point at IBM's CDN, which an air-gapped
# console cannot reach; the page falls back to the system's sans-serif.
set -euo pipefail
version=${1:-1.116.0}
out="$(cd "$(dirname "$0")/.." && pwd)/src/main/resources/vendor/carbon-styles.min.css"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack "@carbon/styles@$version" --silent >/dev/null && tar xzf carbon-styles-*.tgz)
python3 - "$tmp/package/css/styles.min.css" "$out" "$version" <<'PY'
import re, sys
css = open(sys.argv[1], encoding="utf-8").read()
css = re.sub(r"@font-face\{[^}]*\}", "", css)
open(sys.argv[2], "w", encoding="utf-8").write("/* @carbon/styles %s (Apache-2.0), web fonts removed */\n" % sys.argv[3] + css)
PY
echo "wrote $out ($(wc -c < "$out") bytes)"
