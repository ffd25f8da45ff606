#!/usr/bin/env bash
# Refreshes docs/screenshots/ from the browser test: runs UiBrowserTest (headless Chromium, full-page captures into
# app/target/screenshots/) and copies what it took. The docs show only what the test saw.
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -pl app test -Dtest=UiBrowserTest
cp app/target/screenshots/*.png docs/screenshots/
git status --short docs/screenshots/
