#!/usr/bin/env bash
# npm run demo: headless. Runs example pipelines end to end in real n8n (`n8n execute`) against the sandbox and
# writes their result files (PNG, MP4) to ./demo-output/ (or the folder given as first argument). See scripts/demo.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/run-driver.sh
run_driver scripts/demo.mjs "$@"
