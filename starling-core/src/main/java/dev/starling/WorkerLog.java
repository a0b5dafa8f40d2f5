package dev.starling;

/**
 * A worker's log: each event goes to SLF4J (logger {@code dev.starling.worker}) and, from INFO up, into the store,
 * where a controller reads it per worker. Messages use SLF4J's {@code {}} placeholders. Thread-safe.
 */
public interface WorkerLog {
    void debug(String format, Object... args);

    void info(String format, Object... args);

    void warn(String format, Object... args);

    void error(String format, Object... args);
}
