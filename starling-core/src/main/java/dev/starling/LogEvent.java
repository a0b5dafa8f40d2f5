package dev.starling;

import java.time.Instant;

/**
 * One log event of a worker, kept in the store so a controller can read every worker's log.
 *
 * @param time    when it happened
 * @param worker  the worker's id
 * @param level   its level
 * @param message the formatted message
 */
public record LogEvent(Instant time, String worker, Level level, String message) {

    /** Log levels, as in SLF4J. */
    public enum Level { DEBUG, INFO, WARN, ERROR }

    @Override
    public String toString() {
        return time + " " + level + " [" + worker + "] " + message;
    }
}
