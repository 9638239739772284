#!/usr/bin/env bash
# Every test with a JSON report in reports/: Jest (unit, end-to-end, browser) and the Angular component
# tests (Vitest, one report per app). Runs them all even when one fails; fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports
rm -f reports/jest.json reports/components-*.json
status=0
# One suite at a time, in one worker process that Jest replaces once its heap passes 800 MB after a suite:
# each suite loads the server's modules anew, and what a suite's server leaves behind (native resources
# such as prom-client's event-loop histogram keep a suite's whole module graph alive) would otherwise pile
# up in one process (2.3 GB late in a run) and slow every later suite's garbage collection.
npx --no-install jest --maxWorkers=1 --workerIdleMemoryLimit=800MB --json --outputFile=reports/jest.json || status=1
for app in console studio; do
  (cd apps/console && npx --no-install ng test "$app" --watch=false --reporters=json --reporters=default \
    --output-file="../../reports/components-$app.json") || status=1
done
exit "$status"
