#!/usr/bin/env bash
# npm run test:e2e: the package inside real n8n 2.41.1 (Node 24), against the Higgsfield sandbox.
# Installs or reuses n8n (e2e/install-n8n.sh), builds and packs the package, installs the tarball as n8n
# installs community packages, imports a sandbox credential and the example workflows, runs each with
# `n8n execute`, then checks the Higgsfield Trigger inside a running `n8n start`. Work files and logs:
# .e2e/ (kept after the run). Exits non-zero on any failure. See e2e/run.mjs.
set -euo pipefail
cd "$(dirname "$0")/.."

node e2e/run.mjs "$@" &
driver=$!
# the driver stops every process it started (n8n, its task runner, the sandbox) on exit and on signals
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; exit 130' INT TERM HUP
wait "$driver"
