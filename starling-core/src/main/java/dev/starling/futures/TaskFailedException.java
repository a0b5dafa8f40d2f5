package dev.starling.futures;

import dev.starling.StarlingException;
import dev.starling.TaskError;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A submitted task failed: its function threw on a worker, the task timed out, or its worker was lost once too
 * often. The message names the task, the worker and the remote exception; {@link #error()} has the remote class,
 * message and stack trace as text, and the cause is a {@link RemoteException} that carries the remote stack frames,
 * so a printed stack trace shows where on the worker it failed. Immutable.
 */
public final class TaskFailedException extends StarlingException {
    private static final long serialVersionUID = 1L;

    private final long taskId;
    private final String worker;
    private final transient TaskError error;

    TaskFailedException(long taskId, String worker, TaskError error) {
        super("task " + taskId + " failed" + (worker == null ? "" : " on worker " + worker) + ": " + error,
                new RemoteException(error));
        this.taskId = taskId;
        this.worker = worker;
        this.error = error;
    }

    /** The task that failed. */
    public long taskId() {
        return taskId;
    }

    /** The worker that ran it last, or null when it never ran. */
    public String worker() {
        return worker;
    }

    /** Why it failed, as the worker recorded it. */
    public TaskError error() {
        return error;
    }

    /**
     * The exception thrown on a worker, rebuilt from its recorded class name, message and stack trace; its
     * {@link #toString()} reads like the original's. Immutable.
     */
    public static final class RemoteException extends RuntimeException {
        private static final long serialVersionUID = 1L;
        private static final Pattern FRAME = Pattern.compile(
                "^\\s*at (?:[^/()\\s]+/)?([^()\\s]+)\\.([^.()\\s]+)\\(([^:()]*)(?::(\\d+))?\\)");

        private final String remoteType;

        RemoteException(TaskError error) {
            super(error.message(), null, false, true);
            this.remoteType = error.type();
            setStackTrace(frames(error.stackTrace()));
        }

        /** The remote exception's class name, or a short name of the failure (e.g. {@code timeout}). */
        public String remoteType() {
            return remoteType;
        }

        @Override
        public String toString() {
            return remoteType + (getMessage() == null || getMessage().isEmpty() ? "" : ": " + getMessage());
        }

        /** The frames of the first exception in a printed stack trace (its causes are left out). */
        private static StackTraceElement[] frames(String trace) {
            List<StackTraceElement> frames = new ArrayList<>();
            for (String line : trace.split("\\R")) {
                if (line.startsWith("Caused by:")) {
                    break;
                }
                Matcher m = FRAME.matcher(line);
                if (m.find()) {
                    frames.add(new StackTraceElement(m.group(1), m.group(2), m.group(3).isEmpty() ? null
                            : m.group(3), m.group(4) == null ? -1 : Integer.parseInt(m.group(4))));
                }
            }
            return frames.toArray(StackTraceElement[]::new);
        }
    }
}
