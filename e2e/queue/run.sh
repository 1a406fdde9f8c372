#!/usr/bin/env bash
# npm run test:e2e:queue: the package in n8n's queue mode (main + 2 workers + a webhook processor, Postgres,
# Redis, binary data in the database) against the Higgsfield sandbox. Installs Debian's postgresql and
# redis-server with apt-get when missing, reuses e2e/install-n8n.sh's n8n cache. See e2e/queue/run.mjs.
set -euo pipefail
cd "$(dirname "$0")/../.."

node e2e/queue/run.mjs "$@" &
driver=$!
# the driver stops every process it started (n8n x4, task runners, Postgres, Redis, the sandbox) on exit and on signals
trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; exit 130' INT TERM HUP
wait "$driver"
