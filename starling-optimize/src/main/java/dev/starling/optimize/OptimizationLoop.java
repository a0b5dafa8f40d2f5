package dev.starling.optimize;

import dev.starling.FreeLoop;
import dev.starling.Network;
import dev.starling.TaskContext;
import dev.starling.WorkerContext;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The worker loop of a decentralized optimization (random search, ADBO): each worker reads the shared archive,
 * checks the terminator, proposes a configuration and evaluates it. Worker processes name this class on their
 * command line ({@code starling worker --loop dev.starling.optimize.OptimizationLoop}); they read the optimization
 * from the network, where {@link Optimization#run()} put it. Thread-safe: one instance serves every worker of a JVM.
 */
public final class OptimizationLoop implements FreeLoop {
    private final SpecHolder spec;
    // FreeLoop.Proposer would shadow this package's Proposer: name it in full.
    private final Map<String, dev.starling.optimize.Proposer> proposers = new ConcurrentHashMap<>();

    /** A loop that reads the optimization from its network, for worker processes. */
    public OptimizationLoop() {
        this(null);
    }

    OptimizationLoop(Spec spec) {
        this.spec = new SpecHolder(spec);
    }

    /** Reads the optimization from the network and builds its objective, before the worker registers. */
    @Override
    public void prepare(Network network) {
        spec.get(network);
    }

    @Override
    public Object propose(WorkerContext worker) {
        Network network = worker.network();
        dev.starling.optimize.Proposer proposer = proposers.computeIfAbsent(worker.workerId(),
                id -> dev.starling.optimize.Proposer.forWorker(spec.get(network), network, worker.random()));
        if (proposer.done()) {
            proposers.remove(worker.workerId());
            return null;
        }
        return proposer.propose();
    }

    @Override
    public Object evaluate(TaskContext task) throws Exception {
        return Evaluator.evaluate(spec.get(task.worker().network()), task.xs());
    }
}
