#!/usr/bin/env python3
"""Optuna side of bench/compare-optuna.sh: test problems, distributed TPE runs, the result table.

Needs Optuna (3.1+) and redis-py; on Debian these are python3-optuna and python3-redis, which are
visible to /usr/bin/python3 only (not to a pyenv/venv python3 that may come first on PATH).

Subcommands:
  run REDIS_URL PROBLEM SEED EVALS WORKERS [CSV]
      One TPE run: create a fresh study (minimize) in a journal storage on Redis, start WORKERS
      OS processes that each load the study and optimize their share of EVALS trials with
      TPESampler(seed=SEED*1000+worker_index), wait for them, and print one JSON line:
      {"problem", "seed", "best_y", "optimum", "regret", "evaluations", "seconds", "api"};
      with CSV, also append the run as a row (method "tpe") to that file.
  record CSV PROBLEM METHOD SEED EVALS WORKERS EVALUATIONS BEST_Y SECONDS STATUS [DETAIL]
      append one row for a run done elsewhere (Starling); prints the regret
  optimum PROBLEM          print the known optimum (used by the script for Starling's regrets)
  check PROBLEM...         evaluate each problem at its known minimizer(s), compare to the optimum
  table CSV SEEDS EVALS WORKERS PROBLEMS METHODS
      print the markdown table of median final regret (rows problems, columns methods)
  api                      print which journal-storage API the installed Optuna provides

Problems (all minimization, parameters x1..xd):
  branin       x1 in [-5,10], x2 in [0,15]                         optimum  0.397887357729739
  hartmann3    [0,1]^3                                              optimum -3.86278214782076
  hartmann6    [0,1]^6                                              optimum -3.32236801141551
  ackley<d>    [-32.768,32.768]^d                                   optimum  0
  rosenbrock<d> [-5,10]^d                                           optimum  0
"""
import csv
import json
import math
import multiprocessing
import os
import re
import statistics
import sys
import time
import uuid
import warnings

# ---------------------------------------------------------------------------------------------
# Problems
# ---------------------------------------------------------------------------------------------

_H3_ALPHA = [1.0, 1.2, 3.0, 3.2]
_H3_A = [[3.0, 10.0, 30.0],
         [0.1, 10.0, 35.0],
         [3.0, 10.0, 30.0],
         [0.1, 10.0, 35.0]]
_H3_P = [[1e-4 * v for v in row] for row in
         [[3689, 1170, 2673],
          [4699, 4387, 7470],
          [1091, 8732, 5547],
          [381, 5743, 8828]]]

_H6_ALPHA = [1.0, 1.2, 3.0, 3.2]
_H6_A = [[10.0, 3.0, 17.0, 3.5, 1.7, 8.0],
         [0.05, 10.0, 17.0, 0.1, 8.0, 14.0],
         [3.0, 3.5, 1.7, 10.0, 17.0, 8.0],
         [17.0, 8.0, 0.05, 10.0, 0.1, 14.0]]
_H6_P = [[1e-4 * v for v in row] for row in
         [[1312, 1696, 5569, 124, 8283, 5886],
          [2329, 4135, 8307, 3736, 1004, 9991],
          [2348, 1451, 3522, 2883, 3047, 6650],
          [4047, 8828, 8732, 5743, 1091, 381]]]


def _hartmann(x, alpha, a, p):
    total = 0.0
    for i in range(4):
        inner = sum(a[i][j] * (x[j] - p[i][j]) ** 2 for j in range(len(x)))
        total += alpha[i] * math.exp(-inner)
    return -total


def branin(x):
    x1, x2 = x
    b = 5.1 / (4 * math.pi ** 2)
    c = 5 / math.pi
    t = 1 / (8 * math.pi)
    return (x2 - b * x1 ** 2 + c * x1 - 6) ** 2 + 10 * (1 - t) * math.cos(x1) + 10


def ackley(x):
    d = len(x)
    s1 = sum(v * v for v in x) / d
    s2 = sum(math.cos(2 * math.pi * v) for v in x) / d
    return -20 * math.exp(-0.2 * math.sqrt(s1)) - math.exp(s2) + 20 + math.e


def rosenbrock(x):
    return sum(100 * (x[i + 1] - x[i] ** 2) ** 2 + (1 - x[i]) ** 2 for i in range(len(x) - 1))


class Problem:
    def __init__(self, name, bounds, fn, optimum, minimizers):
        self.name, self.bounds, self.fn, self.optimum, self.minimizers = \
            name, bounds, fn, optimum, minimizers

    @property
    def dim(self):
        return len(self.bounds)


def get_problem(name):
    if name == "branin":
        return Problem(name, [(-5.0, 10.0), (0.0, 15.0)], branin, 0.397887357729739,
                       [[-math.pi, 12.275], [math.pi, 2.275], [9.42478, 2.475]])
    if name == "hartmann3":
        return Problem(name, [(0.0, 1.0)] * 3, lambda x: _hartmann(x, _H3_ALPHA, _H3_A, _H3_P),
                       -3.86278214782076, [[0.114614, 0.555649, 0.852547]])
    if name == "hartmann6":
        return Problem(name, [(0.0, 1.0)] * 6, lambda x: _hartmann(x, _H6_ALPHA, _H6_A, _H6_P),
                       -3.32236801141551,
                       [[0.20169, 0.150011, 0.476874, 0.275332, 0.311652, 0.6573]])
    m = re.fullmatch(r"ackley(\d+)", name)
    if m and int(m.group(1)) >= 1:
        d = int(m.group(1))
        return Problem(name, [(-32.768, 32.768)] * d, ackley, 0.0, [[0.0] * d])
    m = re.fullmatch(r"rosenbrock(\d+)", name)
    if m and int(m.group(1)) >= 2:
        d = int(m.group(1))
        return Problem(name, [(-5.0, 10.0)] * d, rosenbrock, 0.0, [[1.0] * d])
    raise SystemExit(f"unknown problem {name!r} (branin, hartmann3, hartmann6, ackley<d>, rosenbrock<d>)")


# ---------------------------------------------------------------------------------------------
# Optuna: journal storage on Redis, across Optuna versions
# ---------------------------------------------------------------------------------------------

def _quiet_optuna():
    import optuna
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    warnings.filterwarnings("ignore", category=optuna.exceptions.ExperimentalWarning)
    return optuna


def _journal_backend():
    """The Redis journal backend class and a description of the API used.
    Optuna >= 4.0: optuna.storages.journal.JournalRedisBackend;
    Optuna 3.1-3.6: optuna.storages.JournalRedisStorage (deprecated in 4.0)."""
    try:
        from optuna.storages.journal import JournalRedisBackend as backend
        api = "optuna.storages.JournalStorage(optuna.storages.journal.JournalRedisBackend(url, prefix=...))"
    except ImportError:
        from optuna.storages import JournalRedisStorage as backend
        api = "optuna.storages.JournalStorage(optuna.storages.JournalRedisStorage(url, prefix=...))"
    return backend, api


def journal_storage(redis_url, prefix):
    optuna = _quiet_optuna()
    backend, api = _journal_backend()
    return optuna.storages.JournalStorage(backend(redis_url, prefix=prefix)), api


def _objective_for(problem):
    def objective(trial):
        x = [trial.suggest_float(f"x{i + 1}", lo, hi) for i, (lo, hi) in enumerate(problem.bounds)]
        return problem.fn(x)
    return objective


def _worker(redis_url, prefix, study_name, problem_name, seed, worker_index, n_trials):
    optuna = _quiet_optuna()
    storage, _ = journal_storage(redis_url, prefix)
    sampler = optuna.samplers.TPESampler(seed=seed * 1000 + worker_index)
    study = optuna.load_study(study_name=study_name, storage=storage, sampler=sampler)
    study.optimize(_objective_for(get_problem(problem_name)), n_trials=n_trials)


def run(redis_url, problem_name, seed, evals, workers, csv_path=None):
    optuna = _quiet_optuna()
    problem = get_problem(problem_name)
    # A fresh study per run, under its own journal prefix so that every process replays only
    # this run's log (a shared prefix would make each new process replay all earlier runs).
    study_name = f"{problem_name}-s{seed}-{uuid.uuid4().hex[:8]}"
    start = time.perf_counter()
    storage, api = journal_storage(redis_url, prefix=study_name)
    optuna.create_study(study_name=study_name, storage=storage, direction="minimize")
    # evals split over the workers so that the total is exactly evals (n_trials counts the
    # trials each process runs itself).
    shares = [evals // workers + (1 if i < evals % workers else 0) for i in range(workers)]
    ctx = multiprocessing.get_context("fork")
    procs = [ctx.Process(target=_worker,
                         args=(redis_url, study_name, study_name, problem_name, seed, i, n))
             for i, n in enumerate(shares) if n > 0]
    for p in procs:
        p.start()
    for p in procs:
        p.join()
    failed = [p.exitcode for p in procs if p.exitcode != 0]
    seconds = time.perf_counter() - start
    storage, _ = journal_storage(redis_url, prefix=study_name)
    study = optuna.load_study(study_name=study_name, storage=storage)
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    best = min(t.value for t in complete) if complete else float("nan")
    out = {"problem": problem_name, "seed": seed, "best_y": best, "optimum": problem.optimum,
           "regret": best - problem.optimum, "evaluations": len(complete),
           "trials_total": len(study.trials), "seconds": round(seconds, 3),
           "optuna": optuna.__version__, "api": api}
    if failed:
        out["worker_exit_codes"] = failed
    if csv_path:
        status = "failed" if failed or not complete else (
            "ok" if len(complete) == evals else "eval-mismatch")
        detail = f"optuna {optuna.__version__}; trials={len(study.trials)}"
        if failed:
            detail += f"; worker exit codes {failed}"
        append_row(csv_path, problem_name, "tpe", seed, evals, workers, len(complete),
                   best if complete else "", f"{seconds:.3f}", status, detail)
    print(json.dumps(out), flush=True)
    # With a CSV the outcome is in the row (status); a non-zero exit means no row was written.
    return 0 if csv_path or not failed else 1


# ---------------------------------------------------------------------------------------------
# Results CSV (one row per run; written for both sides, so the schema and regret live here)
# ---------------------------------------------------------------------------------------------

CSV_FIELDS = ["problem", "method", "seed", "evals", "workers", "evaluations", "best_y", "optimum",
              "regret", "seconds", "status", "detail"]


def append_row(path, problem, method, seed, evals, workers, evaluations, best_y, seconds, status,
               detail=""):
    optimum = get_problem(problem).optimum
    regret = "" if best_y in ("", None) else repr(float(best_y) - optimum)
    new = not os.path.exists(path) or os.path.getsize(path) == 0
    with open(path, "a", newline="") as f:
        w = csv.writer(f)
        if new:
            w.writerow(CSV_FIELDS)
        w.writerow([problem, method, seed, evals, workers, evaluations,
                    "" if best_y in ("", None) else repr(float(best_y)), repr(optimum), regret,
                    seconds, status, detail])
    return regret


# ---------------------------------------------------------------------------------------------
# Table
# ---------------------------------------------------------------------------------------------

def _fmt(v):
    if v == 0:
        return "0"
    if abs(v) >= 0.01 and abs(v) < 1000:
        return f"{v:.3g}"
    return f"{v:.2e}"


def table(csv_path, seeds, evals, workers, problems, methods):
    rows = list(csv.DictReader(open(csv_path, newline="")))
    lines = [f"Median final regret over {seeds} seeds (interquartile range in parentheses), "
             f"{evals} evaluations, {workers} workers; lower is better.", "",
             "| problem | " + " | ".join(methods) + " |",
             "|---|" + "---|" * len(methods)]
    notes = set()
    timing = {}
    for prob in problems:
        cells = []
        for meth in methods:
            rs = [r for r in rows if r["problem"] == prob and r["method"] == meth]
            ok = [r for r in rs if r["status"] in ("ok", "eval-mismatch")]
            if not rs or all(r["status"] == "skipped" for r in rs):
                cells.append("n/a")
                notes.add("n/a: method not run (see the script's messages)")
                continue
            if not ok:
                cells.append("failed")
                continue
            reg = sorted(float(r["regret"]) for r in ok)
            med = statistics.median(reg)
            cell = _fmt(med)
            if len(reg) >= 2:
                q1, _, q3 = statistics.quantiles(reg, n=4, method="inclusive")
                cell += f" ({_fmt(q1)}–{_fmt(q3)})"
            if len(ok) != seeds:
                cell += f" [n={len(ok)}]"
                notes.add("[n=k]: only k of the seeds produced a result")
            if any(r["status"] == "eval-mismatch" for r in ok):
                cell += " †"
                notes.add("†: some runs reported a number of evaluations different from the budget")
            cells.append(cell)
            timing[(prob, meth)] = statistics.median(float(r["seconds"]) for r in ok)
        lines.append(f"| {prob} | " + " | ".join(cells) + " |")
    for n in sorted(notes):
        lines.append("")
        lines.append(n)
    if timing:
        lines += ["", "Median wall time per run, seconds:", "",
                  "| problem | " + " | ".join(methods) + " |",
                  "|---|" + "---|" * len(methods)]
        for prob in problems:
            lines.append(f"| {prob} | " + " | ".join(
                f"{timing[(prob, m)]:.1f}" if (prob, m) in timing else "n/a" for m in methods) + " |")
    print("\n".join(lines))


# ---------------------------------------------------------------------------------------------

def check(names):
    bad = 0
    for name in names:
        p = get_problem(name)
        for x in p.minimizers:
            y = p.fn(x)
            ok = abs(y - p.optimum) < 1e-4
            bad += not ok
            print(f"{name:12s} f({', '.join(f'{v:g}' for v in x)}) = {y:.12g}   optimum {p.optimum:.12g}"
                  f"   {'ok' if ok else 'MISMATCH'}")
    return 1 if bad else 0


def main(argv):
    if not argv:
        print(__doc__)
        return 2
    cmd, args = argv[0], argv[1:]
    if cmd == "run":
        url, prob, seed, evals, workers = args[:5]
        return run(url, prob, int(seed), int(evals), int(workers), csv_path=args[5] if len(args) > 5 else None)
    if cmd == "record":
        # record CSV PROBLEM METHOD SEED EVALS WORKERS EVALUATIONS BEST_Y SECONDS STATUS [DETAIL]
        path, prob, meth, seed, evals, workers, evaluations, best_y, seconds, status = args[:10]
        print(append_row(path, prob, meth, seed, evals, workers, evaluations, best_y, seconds, status,
                         args[10] if len(args) > 10 else ""))
        return 0
    if cmd == "optimum":
        print(repr(get_problem(args[0]).optimum))
        return 0
    if cmd == "check":
        return check(args or ["branin", "hartmann3", "hartmann6", "ackley10", "rosenbrock5"])
    if cmd == "table":
        path, seeds, evals, workers, problems, methods = args
        table(path, int(seeds), int(evals), int(workers), problems.split(), methods.split())
        return 0
    if cmd == "api":
        optuna = _quiet_optuna()
        print(f"optuna {optuna.__version__}: {_journal_backend()[1]}")
        return 0
    print(__doc__)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
