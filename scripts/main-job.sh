#!/usr/bin/env bash
# The main job: on a fresh clone, sets everything up and runs a real sweep end to end on the
# embedded default (SQLite in ./.ltlab, the local Redis, Fashion-MNIST-LT): four long-tail methods
# on fmnist-lt-small, one worker slot per CPU core, then prints the comparison table.
# Running it again reuses the finished runs and prints the table at once.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf '\n==> %s\n' "$*"; }
die() { printf '\nerror: %s\n' "$*" >&2; exit 3; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi; }

# The native backend (oneDNN, several times faster than wasm) builds during npm ci when oneDNN's
# headers and a compiler are there; without them training runs on wasm.
if [ ! -f /usr/include/oneapi/dnnl/dnnl_version.h ] || ! command -v g++ >/dev/null; then
  say 'Installing oneDNN and g++ for the native backend (libdnnl-dev build-essential)'
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libdnnl-dev build-essential ||
    { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libdnnl-dev build-essential; } ||
    say 'Could not install them: training runs on wasm (slower).'
fi

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say 'Installing dependencies (npm ci)'
  npm ci --no-audit --no-fund
fi
# Builds the native backend if an earlier npm ci ran before oneDNN was installed (no-op when up to date).
node packages/runtime/native/build.mjs --optional

FMNIST=/usr/share/datasets/fashion-mnist
if [ -z "${LTLAB_FASHION_MNIST_DIR:-}" ] && [ ! -f "$FMNIST/train-images-idx3-ubyte.gz" ]; then
  say "Installing Fashion-MNIST (Debian package dataset-fashion-mnist)"
  if ! { as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist ||
         { as_root apt-get update -qq && as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq dataset-fashion-mnist; }; }; then
    die "Fashion-MNIST is missing. Install it with 'sudo apt-get install dataset-fashion-mnist', or download the four
files from https://github.com/zalandoresearch/fashion-mnist into a directory and rerun with LTLAB_FASHION_MNIST_DIR=<dir>."
  fi
fi

export REDIS_URL="${REDIS_URL:-redis://127.0.0.1:6379}"
if ! redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1; then
  if [ "$REDIS_URL" = redis://127.0.0.1:6379 ] && command -v redis-server >/dev/null; then
    # Durable by default: the append-only file keeps queued runs and unrecorded events across a
    # restart (losing at most a second), and BullMQ needs noeviction (docs/deploy.md, "Securing Redis").
    say 'Starting a local Redis on 127.0.0.1:6379 (append-only, noeviction; data in .ltlab/)'
    mkdir -p .ltlab
    redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save '' \
      --appendonly yes --appendfsync everysec --maxmemory-policy noeviction \
      --dir "$PWD/.ltlab" --logfile "$PWD/.ltlab/redis.log"
    for _ in $(seq 1 20); do redis-cli ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  redis-cli -u "$REDIS_URL" ping >/dev/null 2>&1 || die "Redis does not answer at $REDIS_URL. Install and start it (sudo apt-get install redis-server) or set REDIS_URL."
fi
# A Redis that already ran is left as it is, but a setting that can lose jobs is pointed out (the
# worker and serve warn again); CONFIG may be disabled, then there is nothing to check here.
redis_setting() { redis-cli -u "$REDIS_URL" --no-auth-warning config get "$1" 2>/dev/null | sed -n 2p; }
if [ "$(redis_setting appendonly)" = no ]; then
  say "warning: Redis runs without append-only persistence: queued runs and unrecorded events are lost if it restarts. Fix: redis-cli CONFIG SET appendonly yes (and in redis.conf)"
fi
policy=$(redis_setting maxmemory-policy)
if [ -n "$policy" ] && [ "$policy" != noeviction ]; then
  say "warning: Redis evicts keys (maxmemory-policy $policy); BullMQ needs noeviction. Fix: redis-cli CONFIG SET maxmemory-policy noeviction (and in redis.conf)"
fi

if [ ! -f apps/dashboard/ui-dist/index.html ]; then
  say 'Building the dashboard UI'
  npm run build:ui -w @ltlab/dashboard
fi

export LTLAB_HOME="${LTLAB_HOME:-$PWD/.ltlab}"
export LTLAB_BACKEND="${LTLAB_BACKEND:-auto}"
ltlab() { node apps/cli/bin/ltlab.mjs "$@"; }

SWEEP=configs/sweeps/fmnist-lt-small-methods.yaml

say "Database ($LTLAB_HOME/ltlab.db)"
ltlab db migrate

say "Submitting $SWEEP"
ID=$(ltlab sweep submit "$SWEEP" --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).sweepId))')
echo "sweep $ID"

PORT="${LTLAB_PORT:-7420}"
say "Training: recorder, dashboard and one worker slot per CPU core (log: $LTLAB_HOME/up.log)"
node apps/cli/bin/ltlab.mjs up --slots all --port "$PORT" > "$LTLAB_HOME/up.log" 2>&1 &
UP=$!
trap 'kill -INT $UP 2>/dev/null; wait $UP 2>/dev/null || true' EXIT
echo "dashboard while it trains: http://127.0.0.1:$PORT"
START=$(date +%s)
ltlab sweep status "$ID" --wait || true
echo "wall time: $(( $(date +%s) - START )) s"
kill -INT $UP 2>/dev/null; wait $UP 2>/dev/null || true
trap - EXIT

say 'Comparison (test set: 10,000 balanced images; many > 100, medium 20-100, few < 20 training images)'
ltlab runs list --sweep "$ID"
# Leave the dashboard up for browsing the results.
nohup node apps/cli/bin/ltlab.mjs serve --port "$PORT" > "$LTLAB_HOME/serve.log" 2>&1 &
SERVE=$!
cat <<MSG

Dashboard: http://127.0.0.1:$PORT/#/runs?sweep=$ID   (ltlab serve, pid $SERVE; stop it with: kill $SERVE)
Explore: npx ltlab runs show <run-id> | npx ltlab runs compare <id> <id> | npx ltlab runs export --sweep $ID --format csv
Data: $LTLAB_HOME (SQLite ltlab.db, checkpoints in artifacts/). Queue: $REDIS_URL.
MSG
