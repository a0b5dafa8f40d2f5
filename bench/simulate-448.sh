#!/usr/bin/env bash
# The rush paper's 448-worker run, simulated: the evaluations recorded by bench/tune-experiment.sh (its --jsonl
# files) are replayed in virtual time with a core per worker (`starling tune --replay FILES --simulate`), while
# the optimizer's own work (every proposal, every store call) really runs and takes the CPU time it took here.
# Reports, per optimizer, the workers' utilization, the virtual time, what a proposal cost and the best AUC, as a
# markdown table, next to the paper's figures (ADBO 94-100 %, centralized BO 0.3-31 %).
#
# Usage: bench/simulate-448.sh --replay DIR [--workers 448] [--evals 4480] [--seeds 2]
#                              [--optimizers "adbo cbo random"] [--learner xgboost] [--out DIR]
# DIR holds the recorded *.jsonl files (all of them are replayed); the learner must be the one recorded.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

REPLAY=; WORKERS=448; EVALS=4480; SEEDS=2; OPTIMIZERS="adbo cbo random"; LEARNER=xgboost
OUT="$root/bench/results/simulate-$(date -u +%Y%m%dT%H%M%SZ)"
while [ $# -gt 0 ]; do
  case "$1" in
    --replay) REPLAY=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --evals) EVALS=$2; shift 2 ;;
    --seeds) SEEDS=$2; shift 2 ;;
    --optimizers) OPTIMIZERS=$2; shift 2 ;;
    --learner) LEARNER=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,10p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "simulate-448: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
[ -n "$REPLAY" ] || { echo "simulate-448: --replay DIR is required: a directory of --jsonl files from bench/tune-experiment.sh" >&2; exit 2; }
files=$(ls "$REPLAY"/*.jsonl 2>/dev/null | paste -sd, -)
[ -n "$files" ] || { echo "simulate-448: no .jsonl files in $REPLAY" >&2; exit 2; }
mkdir -p "$OUT"
echo "optimizer,seed,best,evaluations,workers,utilization,virtual_seconds,proposals,median_ms,p90_ms,central_busy" > "$OUT/runs.csv"
for opt in $OPTIMIZERS; do
  for seed in $(seq 1 "$SEEDS"); do
    log="$OUT/$opt-$seed.log"
    "$root/starling" tune "$LEARNER" --replay "$files" --simulate --workers "$WORKERS" --evals "$EVALS" \
      --optimizer "$opt" --seed "$seed" --top 1 > "$log" 2> "$log.err" || true
    sim=$(grep -E '^simulated: ' "$log" || true)
    best=$(tail -1 "$log")
    if [[ "$best" =~ ^best\ [a-z]+=([^ ]+)\ evaluations=([0-9]+)\ workers=([0-9]+)\ utilization=([^ ]+)$ ]] \
       && [[ "$sim" =~ ^simulated:\ ([0-9.]+)\ s\ of\ virtual\ time\;\ proposals\ ([0-9]+):\ median\ ([0-9.]+)\ ms,\ p90\ ([0-9.]+)\ ms ]]; then
      b=("${BASH_REMATCH[@]}")
      [[ "$best" =~ ^best\ [a-z]+=([^ ]+)\ evaluations=([0-9]+)\ workers=([0-9]+)\ utilization=([^ ]+)$ ]]
      busy=$(sed -nE 's/.*central proposer was busy ([0-9.]+)%.*/\1/p' <<<"$sim")
      echo "$opt,$seed,${BASH_REMATCH[1]},${BASH_REMATCH[2]},${BASH_REMATCH[3]},${BASH_REMATCH[4]},${b[1]},${b[2]},${b[3]},${b[4]},${busy}" >> "$OUT/runs.csv"
      echo "$opt seed $seed: $best; $sim" >&2
    else
      echo "$opt seed $seed: failed, see $log.err" >&2
    fi
  done
done
python3 - "$OUT/runs.csv" "$WORKERS" "$EVALS" "$REPLAY" > "$OUT/table.md" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
paper = {"adbo": "94-100 %", "cbo": "0.3-31 %", "random": "-"}
print(f"{sys.argv[2]} simulated workers, {sys.argv[3]} evaluations, replaying {sys.argv[4]}")
print()
print("| optimizer | runs | utilization, median (min-max) | paper | virtual s | proposal ms, median / p90 | central proposer busy | best AUC |")
print("|---|---|---|---|---|---|---|---|")
for opt in dict.fromkeys(r["optimizer"] for r in rows):
    rs = [r for r in rows if r["optimizer"] == opt]
    u = [float(r["utilization"]) for r in rs]
    busy = [float(r["central_busy"]) for r in rs if r["central_busy"]]
    print(f"| {opt} | {len(rs)} | {statistics.median(u):.4f} ({min(u):.4f}-{max(u):.4f}) | {paper.get(opt, '-')} |"
          f" {statistics.median(float(r['virtual_seconds']) for r in rs):.1f} |"
          f" {statistics.median(float(r['median_ms']) for r in rs):.1f} / {statistics.median(float(r['p90_ms']) for r in rs):.1f} |"
          f" {(f'{statistics.median(busy):.1f} %') if busy else '-'} |"
          f" {statistics.median(float(r['best']) for r in rs):.4f} |")
PY
cat "$OUT/table.md"
