package dev.starling.spi;

import dev.starling.BudgetExhaustedException;
import dev.starling.Retention;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskPage;
import dev.starling.TaskState;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * The tasks of one network. Every method is atomic: a state transition is written together with its data, in one
 * step. Finishing or failing a task that is no longer running under the given lease is a lost race: the call returns
 * false and changes nothing. Payloads ({@code xs}, {@code ys}) are JSON objects as text. Implementations are
 * thread-safe.
 */
public interface TaskStore {

    /**
     * Creates QUEUED tasks, one per payload, with consecutive ids.
     *
     * @return the ids, in the order of {@code xs}
     * @throws BudgetExhaustedException when the network's budget cannot take them all; nothing is created then
     */
    default List<Long> push(List<String> xs) {
        return push(xs, null, null);
    }

    /**
     * Creates QUEUED tasks, one per payload, with consecutive ids, each routed as {@code routes} says and each
     * delivering its completion to the reply channel {@code replyTo} too (see {@link #awaitReplies}).
     *
     * @param routes  one route key per task ({@link dev.starling.Route#key()}: empty for any worker), or null when
     *                no task is routed
     * @param replyTo a reply channel, or null for none
     * @return the ids, in the order of {@code xs}
     * @throws BudgetExhaustedException when the network's budget cannot take them all; nothing is created then
     */
    List<Long> push(List<String> xs, List<String> routes, String replyTo);

    /**
     * Creates one task already RUNNING under {@code worker} (a free loop's own task), taking one unit of budget.
     *
     * @return the task, or empty when the budget is used up
     */
    Optional<Task> pushRunning(String worker, String xs);

    /**
     * Claims the oldest QUEUED task for {@code worker}, waiting up to {@code timeout} for one to arrive.
     *
     * @return the task, now RUNNING with its attempts counted up, or empty on timeout
     */
    default Optional<Task> claim(String worker, Duration timeout) throws InterruptedException {
        List<Task> claimed = claim(worker, 1, timeout);
        return claimed.isEmpty() ? Optional.empty() : Optional.of(claimed.getFirst());
    }

    /**
     * Claims up to {@code max} of the oldest QUEUED tasks for {@code worker} in one step, waiting up to
     * {@code timeout} for the first to arrive. Each is RUNNING under {@code worker} from then on, as if claimed alone.
     * Routes are honoured: a task routed to a worker is claimed only by that worker, one routed to a tag only by
     * workers that carry it; routed tasks the worker may run come before unrouted ones.
     *
     * @return the tasks, oldest first, now RUNNING with their attempts counted up; empty on timeout or when the
     *         worker is not RUNNING
     */
    List<Task> claim(String worker, int max, Duration timeout) throws InterruptedException;

    /**
     * Moves tasks that a worker claimed but never started back to QUEUED, with the attempt of that claim uncounted, so
     * that a worker that stops with claimed tasks left hands them back; a lease that is no longer current is skipped.
     * Where in the queue they go is the store's choice.
     *
     * @return how many went back
     */
    int release(List<Lease> leases);

    /** Moves the task from RUNNING to FINISHED with outputs {@code ys}; false when the lease lost the race. */
    boolean finish(Lease lease, String ys);

    /** Moves the task from RUNNING to FAILED with {@code error}; false when the lease lost the race. */
    boolean fail(Lease lease, TaskError error);

    /**
     * Finishes tasks of {@code worker} and claims up to {@code max} more for it, in one step on a server: the way a
     * worker hands in a batch of results and takes the next batch in one round trip. Each finish applies or loses its
     * race on its own, as {@link #finish} does.
     *
     * @param max     how many to claim; 0 to only finish
     * @param timeout how long to wait for a task to claim when none is queued
     * @return the finishes that lost their race, and the tasks claimed
     */
    FinishAndClaim finishAndClaim(List<Finish> finishes, String worker, int max, Duration timeout)
            throws InterruptedException;

    /**
     * Moves each task of {@code ids} that is QUEUED or RUNNING to CANCELLED, atomically per task: a queued task then
     * never runs, and a running one's finish or fail loses the race. A cancelled task is completed like a finished
     * one: it enters the completion log and its reply channel.
     *
     * @return the ids that were cancelled by this call, in the order given; unknown and terminal tasks are left out
     */
    List<Long> cancel(List<Long> ids);

    /**
     * Points the completions of the tasks {@code ids} to the reply channel {@code channel}, replacing any earlier
     * channel, and returns their current snapshots (unknown ids are left out). Atomic per task: a task that is not
     * terminal in its snapshot delivers its completion to {@code channel}. This is how a new submitter takes over the
     * tasks of one that died.
     */
    List<Task> subscribe(String channel, List<Long> ids);

    /**
     * Takes completed tasks from the reply channel {@code channel}, oldest first, waiting up to {@code timeout} for the
     * first: at most {@code max} groups, where a group is the completions of one step (a worker's batch of finishes
     * arrives together; in memory each completion is a group of its own). Each completion is taken once; a channel has
     * one reader at a time. Waiting is event-driven: a completion wakes the reader within about one round trip. A
     * reply's inputs are left out ({@code xsJson} is {@code {}}): the submitter has them.
     *
     * @return the completed tasks, empty on timeout
     */
    List<Task> awaitReplies(String channel, int max, Duration timeout) throws InterruptedException;

    /**
     * Asks the store to hand the replies of channel {@code channel} to {@code sink} on the thread that ends each task,
     * instead of keeping them for {@link #awaitReplies}: an in-process store can, and saves the reader a wake-up. The
     * sink must be quick and must not throw; a store catches and logs what it throws. Call it before any task of the
     * channel is pushed. The default declines.
     *
     * @return whether the store will deliver to the sink (false: read the channel with {@link #awaitReplies})
     */
    default boolean deliverReplies(String channel, java.util.function.Consumer<Task> sink) {
        return false;
    }

    /** Deletes the reply channel {@code channel} and the completions still in it. */
    void closeChannel(String channel);

    /** The task with this id, if it exists. */
    Optional<Task> get(long id);

    /** The tasks in {@code state}: QUEUED in queue order, RUNNING by id, terminal ones in completion order. */
    List<Task> fetch(TaskState state);

    /**
     * Up to {@code limit} tasks that reached a terminal state (FINISHED, FAILED or CANCELLED) after position
     * {@code cursor}, in the order they did. Start from cursor 0; pass each page's cursor to the next call. Each
     * terminal task appears exactly once over all pages.
     */
    TaskPage completedSince(long cursor, int limit);

    /**
     * A new reader of the completion log, from its start. A store whose {@link #retention()} drops what was read
     * counts it until it is closed (or garbage); the default is a cursor over {@link #completedSince} that counts
     * nothing.
     */
    default CompletionReader reader() {
        return new CursorReader(this);
    }

    /** What this store keeps of completed tasks once every reader has read them; {@link Retention#KEEP} by default. */
    default Retention retention() {
        return Retention.KEEP;
    }

    /**
     * Waits until some task completes after position {@code cursor} or the timeout passes.
     *
     * @return the current completion position (greater than {@code cursor} when something completed)
     */
    long awaitCompleted(long cursor, Duration timeout) throws InterruptedException;

    /** How many tasks are in each state. */
    TaskCounts counts();

    /**
     * One task run to finish with outputs {@code ys}.
     *
     * @param lease the run
     * @param ys    the outputs, a JSON object
     */
    record Finish(Lease lease, String ys) {
    }

    /**
     * The outcome of {@link #finishAndClaim}.
     *
     * @param lost the ids of the tasks whose finish lost its race
     * @param next the tasks claimed, oldest first
     */
    record FinishAndClaim(List<Long> lost, List<Task> next) {
        public FinishAndClaim {
            lost = List.copyOf(lost);
            next = List.copyOf(next);
        }
    }
}
