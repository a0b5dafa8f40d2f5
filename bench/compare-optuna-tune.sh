#!/usr/bin/env bash
# Tune the same learner on the same cross-validation folds with Optuna and with Starling, on this machine, in one
# session: Optuna's TPE (tpe) and TPE with its successive-halving pruner (tpe-asha), against `starling tune`'s
# optimizers (adbo, cbo, random, asha, hyperband). Reports the median (min-max) best CV AUC, the evaluations and the
# workers' utilization over several seeds, as a markdown table.
#
# Usage: bench/compare-optuna-tune.sh [--data credit-g] [--learner xgboost] [--seeds 3] [--workers 2]
#                                     [--evals 100 | --time 120] [--methods "tpe adbo cbo random"] [--folds 10]
#                                     [--eta 3] [--continue-training] [--out DIR]
# With --time (seconds), every run stops at that wall time; otherwise each makes --evals evaluations.
# Optuna's objective is Starling's own cross-validation, through one long-lived `starling cv` process per Optuna
# worker (Python's xgboost is not on Debian 12): same data, folds (--fold-seed 1), learner, single thread and
# search space (the learner's JSON resource). Optuna's workers are OS processes sharing a journal storage on a
# private redis-server; Starling's are threads on the memory store. The pruned methods spend rounds as their
# fidelity: rungs 10, 30, 90, 270, 500 with eta 3; a pruned trial counts its rungs' CV runs as evaluations.
# --continue-training lets both sides continue XGBoost's boosters across rounds (Starling's promotions, Optuna's
# next rung of a trial). Missing packages (python3-optuna, python3-redis, redis-server) are installed with apt-get.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

DATA=credit-g; LEARNER=xgboost; SEEDS=3; WORKERS=2; EVALS=100; TIME=; METHODS="tpe adbo cbo random"; FOLDS=10
ETA=3; CONTINUE=(); OUT="$root/bench/results/optuna-tune-$(date -u +%Y%m%dT%H%M%SZ)"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA=$2; shift 2 ;;
    --learner) LEARNER=$2; shift 2 ;;
    --seeds) SEEDS=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --evals) EVALS=$2; shift 2 ;;
    --time) TIME=$2; shift 2 ;;
    --methods) METHODS=$2; shift 2 ;;
    --folds) FOLDS=$2; shift 2 ;;
    --eta) ETA=$2; shift 2 ;;
    --continue-training) CONTINUE=(--continue-training); shift ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,19p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "compare-optuna-tune: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
for v in SEEDS WORKERS EVALS FOLDS; do
  [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "compare-optuna-tune: --${v,,} must be a positive integer, was '${!v}'" >&2; exit 2; }
done
[ -z "$TIME" ] || [[ $TIME =~ ^[1-9][0-9]*$ ]] || { echo "compare-optuna-tune: --time takes whole seconds, was '$TIME'" >&2; exit 2; }
log() { echo "compare-optuna-tune: $*" >&2; }
mkdir -p "$OUT"

PY=/usr/bin/python3
pkgs=()
"$PY" -c 'import optuna' 2>/dev/null || pkgs+=(python3-optuna)
"$PY" -c 'import redis' 2>/dev/null || pkgs+=(python3-redis)
command -v redis-server >/dev/null || pkgs+=(redis-server)
if [ ${#pkgs[@]} -gt 0 ]; then
  log "installing ${pkgs[*]}"
  sudo=(); [ "$(id -u)" -eq 0 ] || sudo=(sudo)
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq "${pkgs[@]}" >/dev/null
fi

# The learner's search space, as Starling ships it, for Optuna to suggest from.
space="$root/starling-tune/src/main/resources/dev/starling/tune/$LEARNER-space.json"
[ -f "$space" ] || { log "no search space for learner '$LEARNER' ($space); use xgboost or lightgbm"; exit 2; }
fidelity=$([ "$LEARNER" = lightgbm ] && echo num_iterations || echo num_boost_round)

port=6391
while (: >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; do port=$((port + 1)); done
redis-server --port "$port" --bind 127.0.0.1 --save '' --appendonly no --daemonize no > "$OUT/redis.log" 2>&1 &
redis_pid=$!
trap 'kill $redis_pid 2>/dev/null || true' EXIT
for _ in $(seq 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done

budget_optuna=(--evals "$EVALS"); budget_starling=(--evals "$EVALS")
if [ -n "$TIME" ]; then budget_optuna=(--time "$TIME"); budget_starling=(--evals 100000 --time "${TIME}s"); fi
echo "method,seed,best,evaluations,utilization,seconds" > "$OUT/runs.csv"
for seed in $(seq 1 "$SEEDS"); do
  for m in $METHODS; do
    runlog="$OUT/$m-$seed.log"
    start=$EPOCHREALTIME
    case $m in
      tpe|tpe-asha)
        pruner=(); [ "$m" = tpe-asha ] && pruner=(--pruner asha --fidelity "$fidelity" --eta "$ETA")
        if json=$("$PY" "$root/bench/optuna_tune.py" run "redis://127.0.0.1:$port/0" "$root/starling" "$LEARNER" "$DATA" \
             "$FOLDS" "$space" "$seed" "$WORKERS" "${budget_optuna[@]}" "${pruner[@]}" "${CONTINUE[@]}" 2> "$runlog"); then
          echo "$json" >> "$runlog"
          "$PY" -c 'import json,sys; d=json.loads(sys.argv[1]); print("%s,%s,%s,%d,%s,%s" % (sys.argv[2], sys.argv[3], d["best"], d["cv_calls"], d["utilization"], d["seconds"]))' \
            "$json" "$m" "$seed" >> "$OUT/runs.csv"
          log "$m seed $seed: $json"
        else
          log "$m seed $seed: failed, see $runlog"
        fi ;;
      *)
        "$root/starling" tune "$LEARNER" --data "$DATA" --folds "$FOLDS" --optimizer "$m" --seed "$seed" --eta "$ETA" \
          --workers "$WORKERS" --no-defaults "${budget_starling[@]}" "${CONTINUE[@]}" > "$runlog" 2>&1 || true
        secs=$(awk -v a="$start" -v b="$EPOCHREALTIME" 'BEGIN { printf "%.2f", b - a }')
        line=$(grep -aE '^best [a-z]+=[^ ]+ evaluations=[0-9]+ workers=[0-9]+ utilization=' "$runlog" | tail -1 || true)
        if [[ "$line" =~ ^best\ [a-z]+=([^ ]+)\ evaluations=([0-9]+)\ workers=[0-9]+\ utilization=([^ ]+)$ ]]; then
          echo "$m,$seed,${BASH_REMATCH[1]},${BASH_REMATCH[2]},${BASH_REMATCH[3]},$secs" >> "$OUT/runs.csv"
          log "$m seed $seed: $line ($secs s)"
        else
          log "$m seed $seed: failed, see $runlog"
        fi ;;
    esac
  done
done

"$PY" - "$OUT/runs.csv" "$LEARNER" "$DATA" "$FOLDS" "$WORKERS" "${TIME:+$TIME s}" "$EVALS" > "$OUT/table.md" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
budget = sys.argv[6] or f"{sys.argv[7]} evaluations"
print(f"{sys.argv[2]} on {sys.argv[3]}, {sys.argv[4]}-fold CV, {sys.argv[5]} workers, budget {budget}")
print()
print("| method | runs | best CV AUC, median (min-max) | CV runs, median | wall s, median | utilization, median |")
print("|---|---|---|---|---|---|")
for m in dict.fromkeys(r["method"] for r in rows):
    rs = [r for r in rows if r["method"] == m]
    b = [float(r["best"]) for r in rs]
    print(f"| {m} | {len(rs)} | {statistics.median(b):.4f} ({min(b):.4f}-{max(b):.4f}) |"
          f" {statistics.median(int(r['evaluations']) for r in rs):.0f} |"
          f" {statistics.median(float(r['seconds']) for r in rs):.1f} |"
          f" {statistics.median(float(r['utilization']) for r in rs):.4f} |")
PY
cat "$OUT/table.md"
