package dev.starling;

import java.util.Map;
import java.util.random.RandomGenerator;

/** What a handler sees of the task it runs. Used by one worker thread at a time. */
public interface TaskContext {

    /** The task, as claimed. */
    Task task();

    /** The task's id. */
    default long id() {
        return task().id();
    }

    /** The inputs as a map. A task whose inputs cannot be read fails with cause INVALID_INPUT. */
    Map<String, Object> xs();

    /** The inputs bound to {@code type}. A task whose inputs cannot be bound fails with cause INVALID_INPUT. */
    <T> T xs(Class<T> type);

    /** A generator seeded with the task's seed: the same task draws the same numbers on every run. */
    RandomGenerator random();

    /** The worker running the task. */
    WorkerContext worker();

    /** The worker's log. */
    default WorkerLog log() {
        return worker().log();
    }
}
