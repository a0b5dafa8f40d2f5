#!/usr/bin/env bash
# The rush paper's experiment in miniature: tune XGBoost (or LightGBM) by 10-fold cross-validation with ADBO,
# centralized BO and random search, over several seeds, under a fixed evaluation budget or a fixed time budget.
# Reports, per optimizer, the median (min-max) best CV AUC, evaluations done, wall time and worker utilization
# (the share of the workers' time spent inside the objective), as a markdown table.
#
# Usage: bench/tune-experiment.sh [--data credit-g] [--learner xgboost] [--seeds 3] [--evals 100]
#                                 [--time 60s] [--workers 2] [--optimizers "adbo cbo random"] [--folds 10]
#                                 [--out DIR]
# With --time, every run stops at that wall time (its evaluation budget is then 100000); without it, at --evals.
# The folds are the same in every run (--fold-seed 1); --seed varies the optimizer. Runs use --store memory and
# worker threads. SUMMARIZE=1 with --out DIR only rewrites DIR/table.md from the runs there. Each run's last line is `best auc=<v> evaluations=<n> workers=<w> utilization=<u>`.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

DATA=credit-g; LEARNER=xgboost; SEEDS=3; EVALS=100; TIME=; WORKERS=2; OPTIMIZERS="adbo cbo random"; FOLDS=10
OUT="$root/bench/results/tune-$(date -u +%Y%m%dT%H%M%SZ)"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) DATA=$2; shift 2 ;;
    --learner) LEARNER=$2; shift 2 ;;
    --seeds) SEEDS=$2; shift 2 ;;
    --evals) EVALS=$2; shift 2 ;;
    --time) TIME=$2; shift 2 ;;
    --workers) WORKERS=$2; shift 2 ;;
    --optimizers) OPTIMIZERS=$2; shift 2 ;;
    --folds) FOLDS=$2; shift 2 ;;
    --out) OUT=$2; shift 2 ;;
    -h|--help) sed -n '2,13p' "$0"; exit 0 ;;
    *) echo "tune-experiment: unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
mkdir -p "$OUT"
if [ "${SUMMARIZE:-}" = 1 ]; then OPTIMIZERS=; fi
budget=(--evals "$EVALS"); [ -n "$TIME" ] && budget=(--evals 100000 --time "$TIME")
[ "${SUMMARIZE:-}" = 1 ] || echo "optimizer,seed,best,evaluations,workers,utilization,seconds" > "$OUT/runs.csv"
for opt in $OPTIMIZERS; do
  for seed in $(seq 1 "$SEEDS"); do
    log="$OUT/$opt-$seed.log"
    start=$(date +%s.%N)
    "$root/starling" tune "$LEARNER" --data "$DATA" --folds "$FOLDS" --optimizer "$opt" --seed "$seed" \
      --workers "$WORKERS" --no-defaults "${budget[@]}" --csv "$OUT/$opt-$seed.csv" --jsonl "$OUT/$opt-$seed.jsonl" > "$log" 2> "$log.err" || true
    end=$(date +%s.%N)
    line=$(tail -1 "$log")
    if [[ "$line" =~ ^best\ [a-z]+=([^ ]+)\ evaluations=([0-9]+)\ workers=([0-9]+)\ utilization=([^ ]+)$ ]]; then
      echo "$opt,$seed,${BASH_REMATCH[1]},${BASH_REMATCH[2]},${BASH_REMATCH[3]},${BASH_REMATCH[4]},$(python3 -c "print(round($end - $start, 2))")" >> "$OUT/runs.csv"
      echo "$opt seed $seed: $line" >&2
    else
      echo "$opt seed $seed: failed, see $log.err" >&2
    fi
  done
done
python3 - "$OUT/runs.csv" "$DATA" "$LEARNER" "$FOLDS" "$WORKERS" "${TIME:-$EVALS evaluations}" > "$OUT/table.md" <<'PY'
import csv, statistics, sys
rows = list(csv.DictReader(open(sys.argv[1])))
print(f"{sys.argv[3]} on {sys.argv[2]}, {sys.argv[4]}-fold CV, {sys.argv[5]} workers, budget {sys.argv[6]}")
print()
print("| optimizer | runs | best CV AUC, median (min-max) | evaluations, median | wall s, median | utilization, median (min-max) |")
print("|---|---|---|---|---|---|")
for opt in dict.fromkeys(r["optimizer"] for r in rows):
    rs = [r for r in rows if r["optimizer"] == opt]
    b = [float(r["best"]) for r in rs]; u = [float(r["utilization"]) for r in rs]
    e = [int(r["evaluations"]) for r in rs]; s = [float(r["seconds"]) for r in rs]
    print(f"| {opt} | {len(rs)} | {statistics.median(b):.4f} ({min(b):.4f}-{max(b):.4f}) | {statistics.median(e):.0f} |"
          f" {statistics.median(s):.1f} | {statistics.median(u):.4f} ({min(u):.4f}-{max(u):.4f}) |")

# The best CV AUC over time: for each run, the best of the evaluations finished by each checkpoint (seconds since the
# run's first evaluation was created), the median over seeds; checkpoints at quarters of the longest run.
import glob, json, os
from datetime import datetime
def t(text): return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
curves = {}
for opt in dict.fromkeys(r["optimizer"] for r in rows):
    for r in [r for r in rows if r["optimizer"] == opt]:
        path = os.path.join(os.path.dirname(sys.argv[1]), f"{opt}-{r['seed']}.jsonl")
        if not os.path.exists(path):
            continue
        evs = [json.loads(line) for line in open(path)]
        start = min(t(e["created"]) for e in evs)
        done = sorted((t(e["finished"]) - start, e["outcomes"].get("auc", float("nan"))) for e in evs
                      if e["state"] == "FINISHED" and e["finished"])
        curves.setdefault(opt, []).append(done)
span = max((c[-1][0] for cs in curves.values() for c in cs if c), default=0)
if span > 0:
    marks = [span * q / 4 for q in (1, 2, 3, 4)]
    print()
    print("Best CV AUC over time (median over seeds), seconds since the run's first evaluation:")
    print()
    print("| optimizer | " + " | ".join(f"{m:.0f} s" for m in marks) + " |")
    print("|---|" + "---|" * len(marks))
    for opt, cs in curves.items():
        cells = []
        for m in marks:
            bests = [max((v for at, v in c if at <= m), default=float("nan")) for c in cs]
            bests = [b for b in bests if b == b]
            cells.append(f"{statistics.median(bests):.4f}" if bests else "-")
        print(f"| {opt} | " + " | ".join(cells) + " |")
PY
cat "$OUT/table.md"
