#!/usr/bin/env bash
# Every test with a JSON report in reports/: Jest (unit, end-to-end, browser) and the Angular component
# tests (Vitest, one report per app). Runs them all even when one fails; fails if any failed.
set -uo pipefail
cd "$(dirname "$0")/.."
mkdir -p reports
rm -f reports/jest.json reports/components-*.json
status=0
npx --no-install jest --runInBand --json --outputFile=reports/jest.json || status=1
for app in console studio; do
  (cd apps/console && npx --no-install ng test "$app" --watch=false --reporters=json --reporters=default \
    --output-file="../../reports/components-$app.json") || status=1
done
exit "$status"
