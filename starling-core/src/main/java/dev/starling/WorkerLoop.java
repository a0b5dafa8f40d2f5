package dev.starling;

/**
 * The user code a worker runs: a {@link QueueLoop} (claim a queued task, handle it, finish it) or a {@link FreeLoop}
 * (propose a task, evaluate it, publish it). A loop used by worker processes is a public class with a public no-arg
 * constructor, named on the worker's command line; code is never shipped through the store.
 *
 * <p>A loop instance may be shared by all the workers of one JVM, so its methods must be thread-safe; keep state in
 * the store or in the contexts, not in fields.
 */
public sealed interface WorkerLoop permits QueueLoop, FreeLoop {

    /**
     * Called once by each worker before it registers in {@code network}: load what the loop needs (configuration kept
     * in network attributes, models, data), so that the worker's time in the network is spent on tasks. An exception
     * stops the worker before it starts. The default does nothing.
     */
    default void prepare(Network network) throws Exception {
    }
}
