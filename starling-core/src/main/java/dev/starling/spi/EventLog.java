package dev.starling.spi;

import dev.starling.LogEvent;
import java.util.List;

/**
 * Per-worker log events of one network. A store may keep only the most recent events of each worker (at least
 * 1,000). Implementations are thread-safe.
 */
public interface EventLog {

    /** Appends an event to its worker's log. */
    void append(LogEvent event);

    /** The events of one worker, oldest first. */
    List<LogEvent> read(String worker);
}
