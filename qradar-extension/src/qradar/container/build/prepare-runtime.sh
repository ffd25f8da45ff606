#!/bin/sh
# Runs once when QRadar builds the app's image (container/build/ordering.txt), on the QRadar host.
# 1. The zip may arrive without file modes: make the bundled runtime executable and readable for appuser.
# 2. Start the app once with the manifest's own command in training mode: its flags include
#    -XX:+AutoCreateSharedArchive, so the JVM writes app/app.jsa (a class-data archive) at exit. The archive is
#    made in the image with the very jars and flags that run later, so even the first real start is fast.
#    Failing here only costs start-up time, never the install.
set -u
root=${APP_ROOT:-/opt/app-root}
chmod -R a+rX "$root/runtime" "$root/app"
chmod 0755 "$root"/runtime/bin/* "$root/runtime/lib/jspawnhelper"

command=$(sed -n 's/^ *"command": *"\([^"]*\)".*/\1/p' "$root/manifest.json" | head -n 1 | sed "s#/opt/app-root#$root#g")
if [ -z "$command" ]; then
  echo "prepare-runtime: no service command in manifest.json; skipping the class-data archive" >&2
  exit 0
fi
if (cd "$root" && $command train); then
  chmod a+r "$root/app/app.jsa" 2>/dev/null || true
  echo "prepare-runtime: class-data archive ready"
else
  echo "prepare-runtime: training run failed; the app will start without a class-data archive" >&2
fi
exit 0
