#!/usr/bin/env bash
# npm run start:n8n: real n8n on http://localhost:5678 with this package, the Higgsfield sandbox, its
# credential and the example workflows, and an owner account. Foreground; Ctrl-C stops everything.
# First run: installs n8n 2.41.1 on Node 24 into ~/.cache/n8n-nodes-higgsfield (about 5 minutes). See scripts/start.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
	echo "Node 20 or newer is needed to run this (found: $(node --version 2>/dev/null || echo none))." >&2
	exit 1
fi

node scripts/start.mjs "$@" &
driver=$!
# the driver stops every process it started (n8n, its task runner, the sandbox) on exit and on signals
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; exit 130' INT TERM HUP
wait "$driver"
