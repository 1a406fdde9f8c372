#!/usr/bin/env bash
# npm run start:n8n: real n8n on http://localhost:5678 with this package, the Higgsfield sandbox, its
# credential and the example workflows, and an owner account. Foreground; Ctrl-C stops everything.
# First run: installs n8n 2.41.1 on Node 24 into ~/.cache/n8n-nodes-higgsfield (about 6 minutes and 3 GB, once). See scripts/start.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

source scripts/lib/run-driver.sh
run_driver scripts/start.mjs "$@"
