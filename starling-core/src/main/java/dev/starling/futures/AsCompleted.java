package dev.starling.futures;

import dev.starling.StarlingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Yields futures in the order they complete — finished, failed or cancelled alike, so that none is dropped and a
 * cancelled one never hangs the loop. More futures can be {@linkplain #add added} while iterating. Use it from a
 * for-each loop, which waits for each next future (up to the {@linkplain #timeout(Duration) timeout}, if one is set):
 * <pre>{@code
 * AsCompleted<Double> completed = Futures.asCompleted(futures.map(SQUARE, inputs));
 * for (TaskFuture<Double> f : completed) {
 *     double y = f.resultNow();            // f is done: its output is there without waiting
 *     if (y > 10) completed.add(futures.submit(SQUARE, y / 2));
 * }
 * }</pre>
 * or take everything that completed since the last call with {@link #nextBatch} or {@link #batches()}, as Dask's
 * {@code as_completed(...).batches()} does. A yielded future is no longer referenced here, so results that were
 * consumed are not held in memory. Thread-safe; typically one thread consumes.
 *
 * @param <T> the futures' output type
 */
public final class AsCompleted<T> implements Iterable<TaskFuture<T>> {
    private final LinkedBlockingQueue<TaskFuture<T>> completed = new LinkedBlockingQueue<>();
    /** Futures added and not yet yielded (done or not). */
    private final AtomicInteger remaining = new AtomicInteger();
    private volatile Duration timeout;

    AsCompleted() {
    }

    /**
     * Makes the for-each loop and {@link #batches()} give up waiting after {@code timeout} per step: they then throw
     * {@link FuturesTimeoutException}, naming how many futures are still pending. Without it they wait as long as it
     * takes.
     */
    public AsCompleted<T> timeout(Duration timeout) {
        if (timeout.isNegative()) {
            throw new IllegalArgumentException("timeout must not be negative, was " + timeout);
        }
        this.timeout = timeout;
        return this;
    }

    /** Adds a future to yield when it completes (at once, if it is done). */
    public void add(TaskFuture<T> future) {
        remaining.incrementAndGet();
        future.whenComplete((value, error) -> completed.add(future));
    }

    /** Adds futures to yield when they complete. */
    public void addAll(Collection<? extends TaskFuture<T>> futures) {
        futures.forEach(this::add);
    }

    /** Whether some future added has not been yielded yet. */
    public boolean hasNext() {
        return remaining.get() > 0;
    }

    /** How many futures added have not been yielded yet. */
    public int remaining() {
        return remaining.get();
    }

    /**
     * The next future to complete, waiting up to {@code timeout}.
     *
     * @return the future, done; empty on timeout, or at once when nothing is left to yield
     */
    public Optional<TaskFuture<T>> next(Duration timeout) throws InterruptedException {
        if (!hasNext()) {
            return Optional.empty();
        }
        TaskFuture<T> next = completed.poll(timeout.toNanos(), TimeUnit.NANOSECONDS);
        if (next == null) {
            return Optional.empty();
        }
        remaining.decrementAndGet();
        return Optional.of(next);
    }

    /**
     * Every future that completed since the last call, waiting up to {@code timeout} for the first when none has.
     *
     * @return the futures, in completion order; empty on timeout or when nothing is left to yield
     */
    public List<TaskFuture<T>> nextBatch(Duration timeout) throws InterruptedException {
        Optional<TaskFuture<T>> first = next(timeout);
        if (first.isEmpty()) {
            return List.of();
        }
        List<TaskFuture<T>> batch = new ArrayList<>();
        batch.add(first.get());
        int drained = completed.drainTo(batch);
        remaining.addAndGet(-drained);
        return batch;
    }

    /**
     * A view that yields, each time, every future completed since the previous time (at least one), until nothing is
     * left; it waits as the for-each loop does.
     */
    public Iterable<List<TaskFuture<T>>> batches() {
        return () -> new Iterator<>() {
            @Override
            public boolean hasNext() {
                return AsCompleted.this.hasNext();
            }

            @Override
            public List<TaskFuture<T>> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("every future has been yielded");
                }
                try {
                    List<TaskFuture<T>> batch = nextBatch(step());
                    if (batch.isEmpty()) {
                        throw timedOut();
                    }
                    return batch;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StarlingException("interrupted while waiting for futures to complete", e);
                }
            }
        };
    }

    /** Yields each future as it completes; {@code next()} waits, up to the timeout if one is set. */
    @Override
    public Iterator<TaskFuture<T>> iterator() {
        return new Iterator<>() {
            @Override
            public boolean hasNext() {
                return AsCompleted.this.hasNext();
            }

            @Override
            public TaskFuture<T> next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("every future has been yielded");
                }
                try {
                    return AsCompleted.this.next(step()).orElseThrow(AsCompleted.this::timedOut);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new StarlingException("interrupted while waiting for futures to complete", e);
                }
            }
        };
    }

    private Duration step() {
        Duration t = timeout;
        return t == null ? Duration.ofNanos(Long.MAX_VALUE) : t;
    }

    private FuturesTimeoutException timedOut() {
        return new FuturesTimeoutException("no future completed within " + timeout + "; " + remaining()
                + " still pending");
    }
}
