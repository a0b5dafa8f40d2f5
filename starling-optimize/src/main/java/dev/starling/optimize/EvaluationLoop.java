package dev.starling.optimize;

import dev.starling.Network;
import dev.starling.QueueLoop;
import dev.starling.TaskContext;

/**
 * The worker loop of a centralized optimization: workers take the configurations the central proposer queues and
 * evaluate them. Worker processes name this class on their command line; they read the optimization from the
 * network. Thread-safe.
 */
public final class EvaluationLoop implements QueueLoop {
    private final SpecHolder spec;

    /** A loop that reads the optimization from its network, for worker processes. */
    public EvaluationLoop() {
        this(null);
    }

    EvaluationLoop(Spec spec) {
        this.spec = new SpecHolder(spec);
    }

    /** Reads the optimization from the network and builds its objective, before the worker registers. */
    @Override
    public void prepare(Network network) {
        spec.get(network);
    }

    @Override
    public Object handle(TaskContext task) throws Exception {
        return Evaluator.evaluate(spec.get(task.worker().network()), task.xs());
    }
}
