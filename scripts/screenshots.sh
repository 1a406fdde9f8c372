#!/usr/bin/env bash
# npm run screenshots: real n8n (as npm run start:n8n starts it, in a throw-away data folder on a free port) driven
# by Debian's headless Chromium through playwright-core; writes the editor screenshots to docs/images/.
# Needs /usr/bin/chromium (apt-get install chromium). See scripts/screenshots.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

CHROMIUM=${HF_CHROMIUM:-/usr/bin/chromium}
if [ ! -x "$CHROMIUM" ]; then
	echo "npm run screenshots needs Chromium at $CHROMIUM: apt-get install chromium (or set HF_CHROMIUM)." >&2
	exit 1
fi
source scripts/lib/run-driver.sh
run_driver scripts/screenshots.mjs "$@"
