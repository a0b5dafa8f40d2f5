#!/usr/bin/env bash
# Compare black-box optimizers on known test problems: Optuna's TPE (distributed over worker
# processes through a journal storage on a private Redis) against Starling's optimizers
# (./starling optimize). Reports the median final regret (best value found - known optimum) over
# several seeds as a markdown table (rows problems, columns methods).
#
# Usage: bench/compare-optuna.sh [--seeds N] [--evals N] [--workers N]
#                                [--problems "branin hartmann6 ackley10"] [--methods "tpe random adbo cbo"]
#                                [--out DIR] [--timeout SECONDS]
# Each option can also be given as an environment variable (flags win):
#   SEEDS=10            seeds 1..N for every (problem, method)
#   EVALS=200           evaluations per run (Optuna: exactly this many trials, split over the workers)
#   WORKERS=4           parallel workers (Optuna: OS processes; Starling: --workers)
#   PROBLEMS="branin hartmann6 ackley10"   any of branin hartmann3 hartmann6 ackley<d> rosenbrock<d>
#   METHODS="tpe random adbo cbo"          tpe = Optuna TPESampler (defaults); anything else is passed
#                                          to ./starling optimize --optimizer
#   OUT=bench/results/<UTC time>           where runs.csv, table.md and the logs go
#   RUN_TIMEOUT=900     seconds before a single run is killed and counted as failed
#   PYTHON              interpreter with optuna and redis (default /usr/bin/python3, which sees
#                       Debian's python3-optuna / python3-redis; a pyenv/venv python3 does not)
#   STARLING            the Starling command (default ./starling at the repository root)
#   STARLING_ARGS       extra options for every ./starling optimize run, e.g. "--design 20"
#   REDIS_PORT=6391     first port tried for the private redis-server (the next free one is used)
#
# Missing pieces are installed with apt-get (as root, or via sudo): python3-optuna, python3-redis,
# redis-server. A private redis-server (no persistence) runs for the duration and is stopped on exit.
# If `./starling optimize --help` fails, the Starling methods are skipped with a message (n/a in the
# table). Starling's runs use --store memory and must end with a line
#   best y=<value> evaluations=<n> workers=<w> utilization=<u>
# a run whose evaluations differ from --evals is flagged (status eval-mismatch, † in the table).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/.." && pwd)

SEEDS=${SEEDS:-10}
EVALS=${EVALS:-200}
WORKERS=${WORKERS:-4}
PROBLEMS=${PROBLEMS:-branin hartmann6 ackley10}
METHODS=${METHODS:-tpe random adbo cbo}
OUT=${OUT:-}
read -ra STARLING_EXTRA <<<"${STARLING_ARGS:-}"
RUN_TIMEOUT=${RUN_TIMEOUT:-900}
STARLING=${STARLING:-$root/starling}
REDIS_PORT=${REDIS_PORT:-6391}

usage() { sed -n '2,/^set -euo/p' "${BASH_SOURCE[0]}" | sed '$d; s/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
  case "$1" in
    --seeds) SEEDS=$2; shift 2 ;;
    --evals) EVALS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --problems) PROBLEMS=$2; shift 2 ;;
    --methods) METHODS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    --timeout) RUN_TIMEOUT=$2; shift 2 ;;
    -h|--help) usage; exit 0 ;;
    *) echo "compare-optuna: unknown argument $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in SEEDS EVALS WORKERS RUN_TIMEOUT; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "compare-optuna: $v must be a positive integer, got '${!v}'" >&2; exit 2; }
done
read -r -a problems <<<"$PROBLEMS"
read -r -a methods <<<"$METHODS"
if [ ${#problems[@]} -eq 0 ] || [ ${#methods[@]} -eq 0 ]; then echo "compare-optuna: no problems or methods" >&2; exit 2; fi

want_tpe=false; starling_methods=()
for m in "${methods[@]}"; do
  if [ "$m" = tpe ]; then want_tpe=true; else starling_methods+=("$m"); fi
done

log() { echo "compare-optuna: $*" >&2; }

# --- prerequisites ------------------------------------------------------------------------------
PY=${PYTHON:-}
if [ -z "$PY" ]; then
  if [ -x /usr/bin/python3 ]; then PY=/usr/bin/python3; else PY=$(command -v python3 || echo /usr/bin/python3); fi
fi
pkgs=()
if ! "$PY" -c 'import sys' 2>/dev/null; then pkgs+=(python3); fi
if $want_tpe; then
  "$PY" -c 'import optuna' 2>/dev/null || pkgs+=(python3-optuna)
  "$PY" -c 'import redis' 2>/dev/null || pkgs+=(python3-redis)
  command -v redis-server >/dev/null || pkgs+=(redis-server)
fi
if [ ${#pkgs[@]} -gt 0 ]; then
  if [ -n "${PYTHON:-}" ] && [ "$PY" != /usr/bin/python3 ] && [[ " ${pkgs[*]} " == *" python3-"* ]]; then
    log "PYTHON=$PY lacks optuna/redis; apt packages only help /usr/bin/python3 (unset PYTHON or install them into $PY)"
    exit 1
  fi
  log "installing missing packages: ${pkgs[*]}"
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${pkgs[@]}" >/dev/null
  [ -n "${PYTHON:-}" ] || PY=/usr/bin/python3
fi
worker=("$PY" "$here/optuna_worker.py")
# Validate the problem names before starting anything.
for p in "${problems[@]}"; do "${worker[@]}" optimum "$p" >/dev/null; done

OUT=${OUT:-$here/results/$(date -u +%Y%m%dT%H%M%SZ)}
mkdir -p "$OUT/logs"
csv="$OUT/runs.csv"
: >"$csv"

# --- private redis-server (for Optuna's journal storage) ----------------------------------------
redis_pid=
cleanup() {
  if [ -n "$redis_pid" ]; then
    kill "$redis_pid" 2>/dev/null || true
    wait "$redis_pid" 2>/dev/null || true
  fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

if $want_tpe; then
  port=$REDIS_PORT
  while (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do
    port=$((port + 1))
    [ $port -lt $((REDIS_PORT + 100)) ] || { log "no free port in $REDIS_PORT..$port"; exit 1; }
  done
  redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no \
    >"$OUT/logs/redis.log" 2>&1 &
  redis_pid=$!
  redis_url="redis://127.0.0.1:$port/0"
  for _ in $(seq 50); do
    "$PY" -c "import redis,sys; redis.Redis.from_url(sys.argv[1]).ping()" "$redis_url" 2>/dev/null && break
    kill -0 "$redis_pid" 2>/dev/null || { log "redis-server exited:"; cat "$OUT/logs/redis.log" >&2; exit 1; }
    sleep 0.1
  done
  "$PY" -c "import redis,sys; redis.Redis.from_url(sys.argv[1]).ping()" "$redis_url" \
    || { log "redis-server on port $port does not answer"; exit 1; }
  log "redis-server $(redis-server --version | sed -n 's/.*v=\([^ ]*\).*/\1/p') on port $port (pid $redis_pid); $("${worker[@]}" api)"
fi

# --- Starling available? ------------------------------------------------------------------------
starling_ok=false
if [ ${#starling_methods[@]} -gt 0 ]; then
  log "checking '$STARLING optimize --help' (builds Starling first if sources changed) ..."
  if (cd "$root" && "$STARLING" optimize --help) >"$OUT/logs/starling-help.log" 2>&1; then
    starling_ok=true
  else
    log "SKIPPING Starling methods (${starling_methods[*]}): '$STARLING optimize --help' failed; its output ends:"
    tail -n 5 "$OUT/logs/starling-help.log" | sed 's/^/    /' >&2
  fi
fi

# --- runs ---------------------------------------------------------------------------------------
runnable=${#methods[@]}; $starling_ok || runnable=$(( runnable - ${#starling_methods[@]} ))
total=$(( ${#problems[@]} * SEEDS * runnable ))
n=0; mismatches=0; failures=0
t_start=$EPOCHREALTIME
for p in "${problems[@]}"; do
  for s in $(seq 1 "$SEEDS"); do
    for m in "${methods[@]}"; do
      if [ "$m" != tpe ] && ! $starling_ok; then
        "${worker[@]}" record "$csv" "$p" "$m" "$s" "$EVALS" "$WORKERS" "" "" "" skipped "starling optimize unavailable" >/dev/null
        continue
      fi
      n=$((n + 1))
      runlog="$OUT/logs/$p-$m-s$s.log"
      if [ "$m" = tpe ]; then
        if json=$(timeout "$RUN_TIMEOUT" "${worker[@]}" run "$redis_url" "$p" "$s" "$EVALS" "$WORKERS" "$csv" 2>"$runlog"); then
          echo "$json" >>"$runlog"
          read -r status regret secs evaluations < <("$PY" -c '
import json, sys
d = json.loads(sys.argv[1]); e = int(sys.argv[2])
st = "failed" if "worker_exit_codes" in d or d["evaluations"] == 0 else ("ok" if d["evaluations"] == e else "eval-mismatch")
print(st, "%.3e" % d["regret"], d["seconds"], d["evaluations"])' "$json" "$EVALS")
        else
          status=failed; regret=; secs=; evaluations=
          "${worker[@]}" record "$csv" "$p" "$m" "$s" "$EVALS" "$WORKERS" "" "" "" failed "see $runlog" >/dev/null
        fi
      else
        t0=$EPOCHREALTIME
        rc=0
        (cd "$root" && timeout "$RUN_TIMEOUT" "$STARLING" optimize --problem "$p" --optimizer "$m" \
          --workers "$WORKERS" --evals "$EVALS" --seed "$s" --store memory ${STARLING_EXTRA[@]+"${STARLING_EXTRA[@]}"}) \
          >"$runlog" 2>&1 || rc=$?
        secs=$(awk -v a="$t0" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.3f", b - a }')
        best=$(grep -aoE 'best y=[^ ]+ evaluations=[0-9]+ workers=[0-9]+ utilization=[^ ]+' "$runlog" | tail -n 1 || true)
        if [ $rc -ne 0 ] || [ -z "$best" ]; then
          status=failed; regret=; evaluations=
          "${worker[@]}" record "$csv" "$p" "$m" "$s" "$EVALS" "$WORKERS" "" "" "$secs" failed "exit $rc; see $runlog" >/dev/null
        else
          y=$(sed -E 's/^best y=([^ ]+) .*/\1/' <<<"$best")
          evaluations=$(sed -E 's/.* evaluations=([0-9]+) .*/\1/' <<<"$best")
          util=$(sed -E 's/.* utilization=([^ ]+)$/\1/' <<<"$best")
          status=ok; [ "$evaluations" = "$EVALS" ] || status=eval-mismatch
          regret=$("${worker[@]}" record "$csv" "$p" "$m" "$s" "$EVALS" "$WORKERS" "$evaluations" "$y" "$secs" "$status" "utilization=$util") \
            || { status=failed; regret=; log "could not parse best y='$y' in $runlog"; }
          [ -z "$regret" ] || regret=$(printf '%.3e' "$regret")
        fi
      fi
      case $status in
        eval-mismatch) mismatches=$((mismatches + 1))
          log "WARNING: $p $m seed $s reported evaluations=$evaluations, expected $EVALS" ;;
        failed) failures=$((failures + 1)) ;;
      esac
      log "[$n/$total] $p seed=$s $m: ${status}${regret:+ regret=$regret}${secs:+ (${secs}s)}"
    done
  done
done
elapsed=$(awk -v a="$t_start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.0f", b - a }')

# --- table --------------------------------------------------------------------------------------
commit=$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git -C "$root" status --porcelain --untracked-files=no 2>/dev/null)" ] || commit="$commit (uncommitted changes)"
cmd="bench/compare-optuna.sh --seeds $SEEDS --evals $EVALS --workers $WORKERS --problems \"$PROBLEMS\" --methods \"$METHODS\""
[ -z "${STARLING_ARGS:-}" ] || cmd="STARLING_ARGS=\"$STARLING_ARGS\" $cmd"
optuna_v=$("$PY" -c 'import optuna; print(optuna.__version__)' 2>/dev/null || echo "not installed")
{
  "${worker[@]}" table "$csv" "$SEEDS" "$EVALS" "$WORKERS" "$PROBLEMS" "$METHODS"
  echo
  echo "Commit $commit, $(date -u +%Y-%m-%d), \`$cmd\`; Optuna $optuna_v (TPESampler defaults," \
    "JournalStorage on a local Redis, $WORKERS processes), Starling --store memory;" \
    "$(nproc) CPUs; total ${elapsed}s."
} >"$OUT/table.md"
echo
cat "$OUT/table.md"
echo
log "per-run results: $csv"
[ $mismatches -eq 0 ] || log "WARNING: $mismatches run(s) reported a number of evaluations different from $EVALS (status eval-mismatch)"
[ $failures -eq 0 ] || log "WARNING: $failures run(s) failed (see $OUT/logs)"
