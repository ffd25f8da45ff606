#!/usr/bin/env bash
# /debug and /api/health latency while 200 connections trickle request bodies one byte every 2 s (issue #15),
# against the app started from the built jar with the manifest's JVM flags (minus the class-data archive flags,
# which need the image's archive). Results go to bench/RESULTS.md by hand.
#   JAR=path/to.jar  measure another build (e.g. main's, to compare); SKIP_BUILD=1  use the jar as it is
#   CONNECTIONS=n    how many slow connections (default 200); PROBES=n probes of each route under load (150)
set -euo pipefail
cd "$(dirname "$0")/.."
JAR=${JAR:-app/target/safeguard-responder-app.jar}
if [ -z "${SKIP_BUILD:-}" ]; then
  mvn -q -B -o -pl app package -DskipTests
fi
FLAGS=$(bin/safeguard --jvm-flags)   # the manifest's, read by the launcher
# shellcheck disable=SC2086
java -Dprobes="${PROBES:-150}" bench/SlowClientsBench.java "$JAR" "${CONNECTIONS:-200}" $FLAGS
