package dev.starling;

import java.util.Objects;

/**
 * A worker loop that creates its own tasks, as in decentralized optimization: each worker proposes inputs (reading
 * what the others finished through {@link WorkerContext#archive()}), the runtime publishes them as a RUNNING task
 * (taking one unit of the network's budget), calls {@link #evaluate}, and finishes the task with the outputs. The
 * worker stops when the budget is used up, {@link #propose} returns null, or it is told to. Queued tasks (recovered
 * from lost workers, or pushed by a controller, such as an initial design) are evaluated before new ones are
 * proposed. An exception in either method makes the task FAILED, and the worker goes on.
 */
public non-sealed interface FreeLoop extends WorkerLoop {

    /**
     * Proposes the inputs of the next task, or returns null to stop this worker: the loop has nothing more to
     * propose (an optimizer's termination criterion was met, for instance).
     *
     * @return a map or a record that encodes to a JSON object; null to stop
     */
    Object propose(WorkerContext worker) throws Exception;

    /**
     * Evaluates one task.
     *
     * @return the outputs: a map or a record that encodes to a JSON object; null for none
     */
    Object evaluate(TaskContext task) throws Exception;

    /** A free loop from two functions. */
    static FreeLoop of(Proposer proposer, QueueLoop evaluator) {
        Objects.requireNonNull(proposer, "proposer");
        Objects.requireNonNull(evaluator, "evaluator");
        return new FreeLoop() {
            @Override
            public Object propose(WorkerContext worker) throws Exception {
                return proposer.propose(worker);
            }

            @Override
            public Object evaluate(TaskContext task) throws Exception {
                return evaluator.handle(task);
            }
        };
    }

    /** The proposing half of a free loop, for {@link #of}. */
    @FunctionalInterface
    interface Proposer {
        /** See {@link FreeLoop#propose}. */
        Object propose(WorkerContext worker) throws Exception;
    }
}
