#!/usr/bin/env bash
# RSS of the app after a 10,000-request burst (50 clients, POST /api/actions on a dry-run target), started by
# bin/safeguard with the manifest's JVM flags, and for comparison by a plain `java -jar` with the JVM's defaults.
# Needs only Java and Maven (the burst is a JDK-only single-file program). Results go to bench/RESULTS.md by hand.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f app/target/safeguard-responder-app.jar ] || mvn -B -q -pl app package -DskipTests
n=${1:-10000}; c=${2:-50}
quota=$(sed -n 's/.*"memory": *\([0-9]*\).*/\1/p' manifest.json)

run() { # $1 = label, then the command that starts the app
  local label=$1; shift
  local dir; dir=$(mktemp -d)
  SAFEGUARD_STORE="$dir/store" bin/safeguard admin-token --new-store > "$dir/token" 2>/dev/null
  SAFEGUARD_STORE="$dir/store" SAFEGUARD_PORT=0 "$@" > "$dir/out" 2>&1 &
  local pid=$!
  local port=""
  for _ in $(seq 300); do
    port=$(sed -n 's/.*listening on [^:]*:\([0-9]*\).*/\1/p' "$dir/out" | head -n 1)
    [ -n "$port" ] && break
    sleep 0.1
  done
  [ -n "$port" ] || { cat "$dir/out"; kill "$pid"; exit 1; }
  local idle; idle=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  java bench/Burst.java "http://127.0.0.1:$port" "$(cat "$dir/token")" "$n" "$c"
  sleep 2   # let the last journal writes and background work settle
  local rss hwm
  rss=$(awk '/VmRSS/ {print int($2/1024)}' /proc/$pid/status)
  hwm=$(awk '/VmHWM/ {print int($2/1024)}' /proc/$pid/status)
  echo "$label: RSS idle ${idle} MB, after the burst ${rss} MB, peak ${hwm} MB (quota ${quota} MB); JVM: $(tr '\0' ' ' < /proc/$pid/cmdline | cut -c1-200)"
  kill "$pid"; wait "$pid" 2>/dev/null || true
  rm -rf "$dir"
}

run "bin/safeguard (manifest flags)" bin/safeguard
run "java -jar (JVM defaults)" java -jar app/target/safeguard-responder-app.jar
