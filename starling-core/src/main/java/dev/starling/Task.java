package dev.starling;

import dev.starling.internal.Json;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A snapshot of one task, as read from the store. Inputs and outputs are JSON objects, kept as text; {@link #xs()}
 * and {@link #ys()} decode them to maps, {@link #xs(Class)} and {@link #ys(Class)} bind them to records.
 * Immutable and thread-safe.
 *
 * @param id       the task's sequence number in its network, from 1
 * @param state    its state when read
 * @param xsJson   the inputs, a JSON object
 * @param ysJson   the outputs, a JSON object, or null until FINISHED
 * @param worker   the worker that runs or ran it, or null while QUEUED
 * @param attempts how many times it was started
 * @param seed     its seed, derived from the network seed and {@code id}
 * @param created  when it was created
 * @param started  when its current or last run started, or null while QUEUED
 * @param finished when it reached a terminal state, or null
 * @param error    why it failed, or null unless FAILED
 */
public record Task(
        long id,
        TaskState state,
        String xsJson,
        String ysJson,
        String worker,
        int attempts,
        long seed,
        Instant created,
        Instant started,
        Instant finished,
        TaskError error) {

    public Task {
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(xsJson, "xsJson");
        Objects.requireNonNull(created, "created");
    }

    /**
     * This task without its inputs and outputs ({@code {}} and none), as a memory store with
     * {@link Retention#DROP_READ} keeps a completed task once every reader has read it; the rest is the same.
     */
    public Task withoutPayloads() {
        return new Task(id, state, Json.EMPTY, null, worker, attempts, seed, created, started, finished, error);
    }

    /** The inputs as a map (numbers, strings, booleans, lists and maps). */
    public Map<String, Object> xs() {
        return Json.toMap(xsJson, "inputs of task " + id);
    }

    /** The inputs bound to {@code type}, typically a record. */
    public <T> T xs(Class<T> type) {
        return Json.bind(xsJson, type, "inputs of task " + id);
    }

    /** The outputs as a map; empty unless FINISHED. */
    public Map<String, Object> ys() {
        return ysJson == null ? Map.of() : Json.toMap(ysJson, "outputs of task " + id);
    }

    /**
     * The outputs bound to {@code type}.
     *
     * @throws IllegalStateException when the task has no outputs (it is not FINISHED)
     */
    public <T> T ys(Class<T> type) {
        if (ysJson == null) {
            throw new IllegalStateException("task " + id + " is " + state + " and has no outputs");
        }
        return Json.bind(ysJson, type, "outputs of task " + id);
    }

}
