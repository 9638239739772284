#!/usr/bin/env bash
# Production builds of the viewer, the console and the speaker studio into dist/, only when their sources
# (or the dependencies) changed since the last build.
set -euo pipefail
cd "$(dirname "$0")/../.."

stamp=dist/.frontends.sha
current=$(
  {
    find apps/viewer apps/console scripts/precompress.ts libs/i18n libs/protocol/src libs/live-client/src libs/studio-client/src -type f -not -name '*.spec.ts' -print0 |
      sort -z | xargs -0 sha256sum
    sha256sum package-lock.json
  } | sha256sum | cut -d' ' -f1
)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$current" ] &&
  [ -f dist/viewer/index.html ] && [ -f dist/console/index.html ] && [ -f dist/studio/index.html ]; then
  exit 0
fi
printf '[setup] Building the viewer, the console and the studio\n' >&2
npm run --silent build:web >/dev/null
echo "$current" >"$stamp"
