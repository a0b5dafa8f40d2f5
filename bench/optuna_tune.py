#!/usr/bin/env python3
"""Optuna side of bench/compare-optuna-tune.sh: Optuna's TPE (optionally with its successive-halving pruner)
tuning the same learner on the same cross-validation folds as `starling tune`.

Python's xgboost and lightgbm are not on Debian 12, so the objective is Starling's own: every Optuna worker
process keeps one `starling cv` process, writes a configuration to it as a JSON line and reads the outcomes
back. The folds, the learner, its single thread and the metric are then exactly those of `starling tune`;
the JVM starts once per worker, and each evaluation costs Optuna a pipe round trip on top of the CV.

  run REDIS_URL STARLING LEARNER DATA FOLDS SPACE_JSON SEED WORKERS (--evals N | --time SECONDS)
      [--pruner asha --fidelity NAME --eta 3] [--continue-training]
      One run: a fresh study (maximize auc) in a journal storage on Redis, WORKERS OS processes each
      optimizing with TPESampler(seed=SEED*1000+worker). With --evals the trials are split exactly over the
      workers; with --time every worker stops at that wall time. With --pruner asha, a trial evaluates
      the fidelity's rungs (lower*eta^k, then the upper bound), reports each and is pruned by
      SuccessiveHalvingPruner(min_resource=lower, reduction_factor=eta). Prints one JSON line:
      {"best", "trials", "pruned", "cv_calls", "seconds", "busy", "utilization"}: best is the highest AUC of any
      cross-validation, at any fidelity (as Starling's archive counts it); busy is the workers' seconds inside
      `starling cv` calls, and utilization busy / (workers * seconds).
"""
import json
import math
import multiprocessing
import subprocess
import sys
import time
import uuid
import warnings


def _storage(url):
    import optuna
    from optuna.storages import JournalStorage
    try:
        from optuna.storages import JournalRedisStorage
        return JournalStorage(JournalRedisStorage(url))
    except ImportError:
        from optuna.storages.journal import JournalRedisBackend
        return JournalStorage(JournalRedisBackend(url))


def _suggest(trial, name, spec):
    kind = spec["type"]
    if kind == "real":
        return trial.suggest_float(name, spec["lower"], spec["upper"], log=bool(spec.get("log", False)))
    if kind == "int":
        return trial.suggest_int(name, spec["lower"], spec["upper"], log=bool(spec.get("log", False)))
    if kind in ("categorical", "choice"):
        return trial.suggest_categorical(name, spec["values"])
    if kind == "bool":
        return trial.suggest_categorical(name, [False, True])
    raise ValueError(f"parameter {name}: type {kind} is not supported here")


def _rungs(lower, upper, eta):
    rungs, r = [], lower
    while r < upper:
        rungs.append(int(round(r)))
        r *= eta
    rungs.append(int(upper))
    return rungs


def _worker(args, index, trials, deadline, queue):
    import optuna
    warnings.filterwarnings("ignore")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    space = args["space"]
    command = [args["starling"], "cv", args["learner"], "--data", args["data"], "--folds", str(args["folds"]),
               "--fold-seed", "1"] + (["--continue-training"] if args["continue"] else [])
    cv = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          text=True, bufsize=1)
    busy = [0.0]
    calls = [0]
    best = [float("-inf")]

    def evaluate(config):
        start = time.monotonic()
        cv.stdin.write(json.dumps(config) + "\n")
        cv.stdin.flush()
        line = cv.stdout.readline()
        busy[0] += time.monotonic() - start
        calls[0] += 1
        if not line:
            raise RuntimeError("starling cv exited")
        answer = json.loads(line)
        if "failed" in answer:
            raise RuntimeError(answer["failed"])
        best[0] = max(best[0], answer["auc"])
        return answer["auc"]

    fidelity = args.get("fidelity")

    def objective(trial):
        config = {name: _suggest(trial, name, spec) for name, spec in space.items() if name != fidelity}
        if args.get("pruner") != "asha":
            if fidelity:
                config[fidelity] = _suggest(trial, fidelity, space[fidelity])
            return evaluate(config)
        value = None
        for rung in _rungs(space[fidelity]["lower"], space[fidelity]["upper"], args["eta"]):
            config[fidelity] = rung
            value = evaluate(config)
            trial.report(value, step=rung)
            if trial.should_prune():
                raise optuna.TrialPruned()
        return value

    pruner = None
    if args.get("pruner") == "asha":
        pruner = optuna.pruners.SuccessiveHalvingPruner(min_resource=space[fidelity]["lower"],
                                                       reduction_factor=int(args["eta"]))
    study = optuna.load_study(study_name=args["study"], storage=_storage(args["redis"]),
                              sampler=optuna.samplers.TPESampler(seed=args["seed"] * 1000 + index),
                              pruner=pruner)
    timeout = None if deadline is None else max(0.0, deadline - time.time())
    study.optimize(objective, n_trials=trials, timeout=timeout, catch=(RuntimeError,))
    cv.stdin.close()
    cv.wait(timeout=30)
    queue.put((busy[0], calls[0], best[0]))


def run(argv):
    import optuna
    warnings.filterwarnings("ignore")
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    redis, starling, learner, data, folds, space_file, seed, workers = argv[:8]
    rest = [a for a in argv[8:] if a != "--continue-training"]
    opts = {rest[i]: rest[i + 1] for i in range(0, len(rest), 2)}
    args = {"redis": redis, "starling": starling, "learner": learner, "data": data, "folds": int(folds),
            "space": json.load(open(space_file)), "seed": int(seed), "study": "tune-" + uuid.uuid4().hex[:8],
            "pruner": opts.get("--pruner"), "fidelity": opts.get("--fidelity"),
            "eta": float(opts.get("--eta", 3)), "continue": "--continue-training" in argv[8:]}
    if args["pruner"] == "asha" and args["fidelity"] not in args["space"]:
        raise SystemExit("--pruner asha needs --fidelity NAME, a parameter of the space")
    workers = int(workers)
    optuna.create_study(study_name=args["study"], storage=_storage(redis), direction="maximize")
    evals = int(opts["--evals"]) if "--evals" in opts else None
    started = time.time()
    deadline = started + float(opts["--time"]) if "--time" in opts else None
    queue = multiprocessing.Queue()
    procs = []
    for i in range(workers):
        share = None if evals is None else evals // workers + (1 if i < evals % workers else 0)
        p = multiprocessing.Process(target=_worker, args=(args, i, share, deadline, queue))
        p.start()
        procs.append(p)
    results = [queue.get() for _ in procs]
    for p in procs:
        p.join()
    seconds = time.time() - started
    study = optuna.load_study(study_name=args["study"], storage=_storage(redis))
    complete = [t for t in study.trials if t.state == optuna.trial.TrialState.COMPLETE]
    pruned = [t for t in study.trials if t.state == optuna.trial.TrialState.PRUNED]
    busy = sum(r[0] for r in results)
    # The best over every cross-validation run, at any fidelity, as Starling's archive counts it.
    print(json.dumps({"best": max(r[2] for r in results), "trials": len(complete),
                      "pruned": len(pruned), "cv_calls": sum(r[1] for r in results), "seconds": round(seconds, 2),
                      "busy": round(busy, 2), "utilization": round(busy / (workers * seconds), 4)}))


if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] != "run":
        print(__doc__)
        sys.exit(2)
    run(sys.argv[2:])
