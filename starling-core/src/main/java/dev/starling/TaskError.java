package dev.starling;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Objects;

/**
 * Why a task failed: the kind of failure and, for exceptions, the exception's class, message and stack trace.
 *
 * @param kind       what went wrong
 * @param type       the exception's class name, or a short name of the failure for other kinds
 * @param message    a human-readable message; never null, possibly empty
 * @param stackTrace the stack trace as printed by {@link Throwable#printStackTrace()}, or empty
 */
public record TaskError(Kind kind, String type, String message, String stackTrace) {

    /** The kinds of task failure. */
    public enum Kind {
        /** User code threw. */
        EXCEPTION,
        /** The task ran longer than the worker's task timeout. */
        TIMEOUT,
        /** The task's worker was lost (or killed) and the task had used up its attempts. */
        WORKER_LOST,
        /** The task's stored inputs could not be read (malformed JSON, wrong shape). */
        INVALID_INPUT
    }

    public TaskError {
        Objects.requireNonNull(kind, "kind");
        type = Objects.requireNonNullElse(type, "");
        message = Objects.requireNonNullElse(message, "");
        stackTrace = Objects.requireNonNullElse(stackTrace, "");
    }

    /** The error for an exception thrown by user code. */
    public static TaskError of(Throwable error) {
        return of(Kind.EXCEPTION, error);
    }

    /** The error of the given kind, described by an exception. */
    public static TaskError of(Kind kind, Throwable error) {
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return new TaskError(kind, error.getClass().getName(), String.valueOf(error.getMessage()), trace.toString());
    }

    /** The error for a task that ran longer than {@code limit}. */
    public static TaskError timeout(java.time.Duration limit) {
        return new TaskError(Kind.TIMEOUT, "timeout", "task ran longer than its timeout of " + limit, "");
    }

    /** The error for a task whose worker was lost once too often. */
    public static TaskError workerLost(String worker, int attempts) {
        return new TaskError(Kind.WORKER_LOST, "worker lost",
                "worker '" + worker + "' was lost while running this task; no attempts left after " + attempts, "");
    }

    @Override
    public String toString() {
        return kind + ": " + type + (message.isEmpty() ? "" : ": " + message);
    }
}
