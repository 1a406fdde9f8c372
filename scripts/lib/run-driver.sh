# Sourced by scripts/start.sh and scripts/demo.sh: checks Node, then runs a Node driver script in the
# background so that Ctrl-C reaches it; the driver stops every process it started (n8n, its task
# runner, the sandbox) on exit and on signals.
run_driver() {
	local major
	major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
	if [ "$major" -lt 20 ]; then
		echo "Node 20 or newer is needed to run this (found: $(node --version 2>/dev/null || echo none))." >&2
		exit 1
	fi
	node "$@" &
	driver=$!
	trap 'kill -TERM "$driver" 2>/dev/null || true; wait "$driver" 2>/dev/null || true; exit 130' INT TERM HUP
	wait "$driver"
}
