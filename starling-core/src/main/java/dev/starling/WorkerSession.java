package dev.starling;

import java.util.Optional;

/**
 * A worker whose loop the caller drives, for ask / tell interfaces: {@link #create} publishes a task RUNNING under
 * this worker (taking one unit of the network's budget), {@link #finish} or {@link #fail} completes it. The session
 * registers in the network like any worker and heartbeats in the background, so other workers see its tasks as
 * running and recover them if this process dies. {@link #close()} retires it; tasks still running then go back to
 * the queue, where free-loop workers take them. A session hears stop requests as workers do:
 * {@code Controller.terminateWorkers()} makes {@link #create} return empty from then on (tasks already created may
 * still be finished), {@code killWorkers()} retires it at once and its running tasks are recovered. Thread-safe.
 */
public interface WorkerSession extends AutoCloseable {

    /** The session's worker id. */
    String workerId();

    /**
     * Creates a task RUNNING under this session with inputs {@code xs} (a map or a record).
     *
     * @return the task, or empty when the network's budget is used up or the session was told to stop
     * @throws StarlingException when the session is closed
     * @throws PayloadException  when {@code xs} does not encode to a JSON object
     */
    Optional<Task> create(Object xs);

    /**
     * Finishes a task of this session with outputs {@code ys} (a map or a record).
     *
     * @return false when the task was no longer this session's (recovered, or completed before): a lost race
     */
    boolean finish(Task task, Object ys);

    /** Fails a task of this session with {@code error}; false on a lost race, as for {@link #finish}. */
    boolean fail(Task task, Throwable error);

    /** Whether a controller told the session to stop (terminate or kill): {@link #create} returns empty then. */
    boolean isStopping();

    /** Stops heartbeating and retires the worker; running tasks go back to the queue. Idempotent. */
    @Override
    void close();
}
