#!/usr/bin/env bash
# npm run demo: headless. Runs example pipelines end to end in real n8n (`n8n execute`) against the sandbox and
# writes their result files (PNG, MP4) to ./demo-output/ (or the folder given as first argument). See scripts/demo.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -lt 20 ]; then
	echo "Node 20 or newer is needed to run this (found: $(node --version 2>/dev/null || echo none))." >&2
	exit 1
fi

node scripts/demo.mjs "$@" &
driver=$!
# the driver stops every process it started (n8n, its task runner, the sandbox) on exit and on signals
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; exit 130' INT TERM HUP
wait "$driver"
