package dev.starling.futures;

import dev.starling.StarlingException;
import dev.starling.Task;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future output of one submitted task: a {@link CompletableFuture} that completes when the task reaches a terminal
 * state in the store — normally with the function's output when it FINISHED, exceptionally with a
 * {@link TaskFailedException} when it FAILED, and as cancelled when it was CANCELLED. {@link #cancel} cancels the task
 * in the store: a queued task then never runs, and a running one has its handler interrupted and its result
 * discarded. Dependent stages ({@code thenApply}, …) run on the thread that completes this future (the owner's
 * dispatcher; on the memory store, the worker that ended the task), unless an {@code …Async} variant gives them an
 * executor: keep them short. Thread-safe.
 *
 * @param <T> the type of the output
 */
public final class TaskFuture<T> extends CompletableFuture<T> {
    /** How long {@link #result} watches for the end before it parks. */
    private static final Duration SPIN = Duration.ofNanos(50_000);
    private final long taskId;
    private final Futures owner;
    private volatile Task task;

    TaskFuture(long taskId, Futures owner) {
        this.taskId = taskId;
        this.owner = owner;
    }

    /** The id of the task in its network; a new controller can {@linkplain Futures#attach attach} to it by id. */
    public long taskId() {
        return taskId;
    }

    /**
     * The task as it ended (its worker, attempts, timestamps and outputs; not its inputs, which the submitter has),
     * once this future is done from the store.
     */
    public Optional<Task> task() {
        return Optional.ofNullable(task);
    }

    /**
     * Waits up to {@code timeout} for the output.
     *
     * @throws TaskFailedException   when the task failed
     * @throws CancellationException when it was cancelled
     * @throws TimeoutException      when it is not done within {@code timeout}
     */
    public T result(Duration timeout) throws InterruptedException, TimeoutException {
        spin(timeout);
        try {
            return get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r
                    : new StarlingException("task " + taskId + " failed: " + e.getCause(), e.getCause());
        }
    }

    /**
     * Watches this future for up to {@link #SPIN} (less when {@code timeout} is shorter) before the caller parks: a
     * no-op task in memory ends within about 10 µs of its submission, and waking a parked thread costs 10-25 µs on
     * a busy two-core machine, as much again.
     */
    private void spin(Duration timeout) {
        long until = System.nanoTime() + Math.min(SPIN.toNanos(), timeout.toNanos());
        while (!isDone() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
    }

    /**
     * Waits up to {@code timeout} for the task to end and returns why it did not succeed: a
     * {@link TaskFailedException} or a {@link CancellationException}; empty when it succeeded.
     *
     * @throws TimeoutException when it is not done within {@code timeout}
     */
    public Optional<Throwable> exception(Duration timeout) throws InterruptedException, TimeoutException {
        try {
            get(timeout.toNanos(), TimeUnit.NANOSECONDS);
            return Optional.empty();
        } catch (ExecutionException e) {
            return Optional.of(e.getCause());
        } catch (CancellationException e) {
            return Optional.of(e);
        }
    }

    /**
     * Cancels the task in the store unless it has ended. A queued task never runs; a running task's handler is
     * interrupted within a heartbeat period of its worker, and whatever it returns is discarded.
     *
     * @param mayInterruptIfRunning ignored: a running task is always interrupted
     * @return true when this future is now cancelled; false when the task had already ended (its outcome, if not
     *         delivered yet, arrives as usual)
     */
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        if (isDone()) {
            return isCancelled();
        }
        owner.cancel(List.of(this));
        return isCancelled();
    }

    /** Completes this future as the store's terminal {@code ended} task says. */
    void settle(Task ended, Object output, RuntimeException failure) {
        task = ended;
        if (failure != null) {
            completeExceptionally(failure);
        } else {
            @SuppressWarnings("unchecked")
            T value = (T) output;
            complete(value);
        }
    }

    /** Completes this future as cancelled (the store has cancelled its task). */
    void settleCancelled(Task ended) {
        if (ended != null) {
            task = ended;
        }
        super.cancel(false);
    }

    @Override
    public String toString() {
        return "future of task " + taskId + " (" + (isCancelled() ? "cancelled" : isCompletedExceptionally()
                ? "failed" : isDone() ? "done" : "pending") + ")";
    }
}
