#!/usr/bin/env bash
# Start-up with a long journal (issue #12 item 6, #15 item 3, #21): an empty store and stores of 100,000 and
# 1,000,000 journal records (20,000 / 200,000 actions x 5 records), the app on the bundled runtime with the
# manifest's JVM flags, with the class-data archive QRadar's image build makes (a training run, as
# container/build/prepare-runtime.sh does) and without it (should that step have failed).
# For each store: the first start (no checkpoint: the state is rebuilt from the whole journal and a checkpoint
# written), restarts from the checkpoint (median of RUNS), a start with a torn last record. Measured: time to the
# first 200 on /debug, the process's CPU time by then (steadier than wall time on a busy machine), RSS, and for one
# start per store the time until the background chain check is done.
#
#   bench/journal-startup.sh [ACTIONS...]          default: 0 20000 200000 (0 = the empty store)
#   JARS="app/target/a.jar app/target/b.jar" bench/journal-startup.sh ...   compare builds side by side (each jar
#                                                  in app/target, next to lib/); RUNS=5 for more restarts
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x qradar-extension/target/runtime/bin/java ] || mvn -q -B -DskipTests package
mvn -q -B -o -pl app package -DskipTests
mvn -q -B -o -pl app dependency:build-classpath -Dmdep.outputFile=/tmp/sr-bench.cp -Dmdep.includeScope=test
cp="app/target/classes:$(cat /tmp/sr-bench.cp)"
java=qradar-extension/target/runtime/bin/java
flags=$(bin/safeguard --jvm-flags)
jars=${JARS:-app/target/safeguard-responder-app.jar}
runs=${RUNS:-3}
port=5094
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# The archive as QRadar's image build makes it: the manifest's flags, the app's training run.
declare -A archive
for jar in $jars; do
  archive[$jar]="$work/$(basename "$jar" .jar).jsa"
  $java $flags -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="${archive[$jar]}" -Xlog:cds=off \
    -Xlog:cds+dynamic=off -jar "$jar" train > "$work/train.out" 2>&1 || { echo "training run failed"; cat "$work/train.out"; }
done

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
# start JAR ARCHIVE(yes|no) STORE WAIT_CHECK(yes|no): prints "debug_ms cpu_ms main_cpu_ms rss_mb check"
start() {
  local jar=$1 cds=() ; [ "$2" = yes ] && cds=(-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile="${archive[$jar]}" -Xlog:cds=off -Xlog:cds+dynamic=off)
  SAFEGUARD_STORE="$3" SAFEGUARD_PORT=$port $java $flags "${cds[@]}" -jar "$jar" >> "$3/app.out" 2>&1 &
  local app=$! t0=$(date +%s%N)
  until curl -sf localhost:$port/debug >/dev/null; do
    kill -0 $app 2>/dev/null || { echo "app exited" >&2; tail -5 "$3/app.out" >&2; return 1; }
    sleep 0.01
  done
  local up cpu rss check=-
  up=$(ms "$t0")
  cpu=$(awk -v hz="$(getconf CLK_TCK)" '{print int(($14 + $15) * 1000 / hz)}' /proc/$app/stat)
  # The main thread's own CPU (the threads named "java": the launcher's and main): what start-up waits on; the
  # process's CPU also counts the background chain check, which grows with the wall time on a busy machine.
  main=$(cat /proc/$app/task/*/stat | awk -v hz="$(getconf CLK_TCK)" '$2 == "(java)" {t += $14 + $15} END {print int(t * 1000 / hz)}')
  rss=$(awk '/VmRSS/ {print int($2 / 1024)}' /proc/$app/status)
  if [ "$4" = yes ]; then
    local state
    while state=$(curl -sf localhost:$port/api/health | python3 -c 'import json,sys; print(json.load(sys.stdin)["journal"]["state"])'); [ "$state" = verifying ]; do sleep 0.05; done
    check="$(ms "$t0") ms ($state)"
  fi
  kill $app; wait $app 2>/dev/null || true
  echo "$up $cpu $main $rss $check"
}
median() { tr ' ' '\n' | sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }

echo "runtime: $($java -version 2>&1 | head -1); flags: $flags; load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| store | start | build | archive | first 200 on /debug | CPU by then: process / main thread | RSS | chain check done |"
echo "|---|---|---|---|---|---|---|---|"
first=${jars%% *}
for actions in ${*:-0 20000 200000}; do
  store=$(mktemp -d -p "$work")
  if [ "$actions" = 0 ]; then
    label="empty store"
  else
    java -cp "$cp" bench/JournalFill.java "$store" "$actions"
    label="$(cat "$store"/journal/*.jsonl | wc -l | xargs printf "%'d") records ($(du -sh "$store/journal" | cut -f1))"
  fi
  read -r up cpu main rss check < <(start "$first" yes "$store" yes)
  echo "| $label | first (no checkpoint: rebuild) | $(basename "$first") | yes | $up ms | $cpu / $main ms | $rss MB | $check |"
  for jar in $jars; do
    for cds in yes no; do
      ups="" cpus="" mains="" check=-
      for ((i = 1; i <= runs; i++)); do
        wait_check=no; [ "$i" = 1 ] && [ "$cds" = yes ] && wait_check=yes
        read -r up cpu main rss c < <(start "$jar" $cds "$store" $wait_check)
        ups="$ups $up" cpus="$cpus $cpu" mains="$mains $main"; [ "$c" != - ] && check=$c
      done
      echo "| $label | restart (checkpoint), median of $runs:$ups ms | $(basename "$jar") | $cds | $(echo $ups | median) ms | $(echo $cpus | median) / $(echo $mains | median) ms | $rss MB | $check |"
    done
  done
  if [ "$actions" != 0 ]; then
    last=$(ls "$store"/journal/*.jsonl | tail -1)
    printf '{"seq":%s,"time":"2026-11-' "$(( $(cat "$store"/journal/*.jsonl | wc -l) + 1 ))" >> "$last"
    read -r up cpu main rss check < <(start "$first" yes "$store" no)
    echo "| $label | torn last record (cut) | $(basename "$first") | yes | $up ms | $cpu / $main ms | $rss MB | - |"
  fi
  rm -rf "$store"
done
