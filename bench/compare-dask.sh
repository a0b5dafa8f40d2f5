#!/usr/bin/env bash
# Compare Starling's futures and ADMM with Dask's on the same work, on this machine, in one session:
#   1. no-op futures: Dask's bench_dask.py (LocalCluster, 2 worker processes) against
#      ./starling bench --mode map / --mode latency on the memory store and on Redis with 2 worker processes;
#   2. asynchronous ADMM for the lasso, 200,000 x 100 in 20 chunks, 2 workers, loss mean, gap <= 1e-6:
#      Dask's dask_admm.py (the blog's reproduction) against ./starling admm, with the exact and the iterative
#      local solver, without and with a 4x straggler, on the memory store and on Redis with worker processes.
#
# Usage: bench/compare-dask.sh [OUT_DIR]     (default bench/results/dask-<UTC time>)
# Environment: PEERS (default ../shared/peers beside the checkout), PYTHON (default /usr/bin/python3),
#   REDIS_PORT (first port tried, default 6393), PARTS ("futures admm", default both).
# Missing pieces are installed with apt-get (as root): python3-distributed python3-scipy python3-numpy redis-server.
# A private redis-server (no persistence) runs for the duration and is stopped on exit. Takes about 5 minutes.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)
PEERS=${PEERS:-$root/../shared/peers}
PYTHON=${PYTHON:-/usr/bin/python3}
PARTS=${PARTS:-futures admm}
out=${1:-$root/bench/results/dask-$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$out"

need_apt=()
"$PYTHON" -c 'import distributed, scipy, numpy' 2>/dev/null || need_apt+=(python3-distributed python3-scipy python3-numpy)
command -v redis-server >/dev/null || need_apt+=(redis-server)
if [ ${#need_apt[@]} -gt 0 ]; then
  echo "installing ${need_apt[*]}"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

port=${REDIS_PORT:-6393}
while (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
redis-server --port "$port" --save '' --appendonly no --daemonize yes --logfile "$out/redis.log" \
  --pidfile "$out/redis.pid" >/dev/null
trap 'kill "$(cat "$out/redis.pid" 2>/dev/null)" 2>/dev/null || true' EXIT
store=redis://127.0.0.1:$port
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

run() { # name, command...
  local name=$1; shift
  echo "== $name: $*" | tee -a "$out/summary.txt"
  "$@" > "$out/$name.log" 2>&1 || echo "   (exit $?)" | tee -a "$out/summary.txt"
  grep -E '^(mode=|variant=|  [a-z]+: |[a-z0-9]+ +(sync|async)|speed-up|a[123]|b |c )' "$out/$name.log" \
    | sed 's/^/   /' | tee -a "$out/summary.txt" || true
}

if [[ " $PARTS " == *" futures "* ]]; then
  run dask-futures "$PYTHON" "$PEERS/bench_dask.py" processes
  run starling-map-memory "$root/starling" bench --mode map --tasks 100000
  run starling-latency-memory "$root/starling" bench --mode latency
  run starling-map-redis "$root/starling" bench --mode map --tasks 100000 --store "$store" --processes
  run starling-latency-redis "$root/starling" bench --mode latency --store "$store" --processes
fi
if [[ " $PARTS " == *" admm "* ]]; then
  run dask-admm "$PYTHON" "$PEERS/dask_admm.py" --straggler 1 4 --max-time 10
  for local in exact iterative; do
    for straggler in 1 4; do
      run "starling-admm-$local-x$straggler-memory" "$root/starling" admm --local "$local" --straggler "$straggler"
      run "starling-admm-$local-x$straggler-redis" "$root/starling" admm --local "$local" --straggler "$straggler" \
        --store "$store" --processes
    done
  done
fi
echo "results in $out (summary.txt)"
