#!/usr/bin/env bash
# The outage scenarios of `starling optimize` on Redis, run as a user would (issue: core hardening).
#   bench/outage.sh restart   Redis (append-only file on) shut down 5 s after the start and restarted 5 s later:
#                             the run must end with evaluations=400 and exit code 0.
#   bench/outage.sh limit     Redis shut down for good with --outage-limit 10s: the run must exit non-zero within a
#                             minute, naming the store and how long it was gone, with its results so far exported.
# Needs redis-server on the PATH (apt-get install redis-server). Uses a private server on port 6391.
set -uo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mode=${1:-restart}
port=6391
dir=$(mktemp -d)
redis() { redis-server --port $port --bind 127.0.0.1 --appendonly yes --dir "$dir" --save '' --daemonize yes \
  --logfile "$dir/redis.log" --pidfile "$dir/redis.pid"; }
redis
sleep 0.5
./starling --help >/dev/null
start=$(date +%s)
case "$mode" in
  restart)
    ./starling optimize --problem branin --optimizer random --store redis://127.0.0.1:$port --processes 2 \
      --workers 4 --evals 400 --delay 0.1 --csv "$dir/evals.csv" > "$dir/out.txt" 2> "$dir/err.txt" &
    run=$!
    sleep 5; redis-cli -p $port shutdown; echo "redis down at $(( $(date +%s) - start )) s" >&2
    sleep 5; redis; echo "redis up at $(( $(date +%s) - start )) s" >&2
    ;;
  limit)
    ./starling optimize --problem branin --optimizer random --store redis://127.0.0.1:$port --processes 2 \
      --workers 4 --evals 400 --delay 0.1 --outage-limit 10s --csv "$dir/evals.csv" > "$dir/out.txt" \
      2> "$dir/err.txt" &
    run=$!
    sleep 5; redis-cli -p $port shutdown; echo "redis down at $(( $(date +%s) - start )) s" >&2
    ;;
  *) echo "usage: bench/outage.sh restart|limit" >&2; exit 2 ;;
esac
wait $run; code=$?
echo "exit code $code after $(( $(date +%s) - start )) s"
tail -n 3 "$dir/out.txt"
grep -v '^evaluations' "$dir/err.txt" | grep 'starling:' || true
echo "csv rows: $(( $(wc -l < "$dir/evals.csv") - 1 ))"
redis-cli -p $port shutdown nosave >/dev/null 2>&1 || true
