package dev.starling.internal;

import dev.starling.LogEvent;
import dev.starling.WorkerLog;
import dev.starling.spi.EventLog;
import java.time.InstantSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.helpers.MessageFormatter;

/** A worker's log: SLF4J, plus the store's event log from INFO up. Thread-safe. */
final class StoreWorkerLog implements WorkerLog {
    private static final Logger LOG = LoggerFactory.getLogger("dev.starling.worker");

    private final String worker;
    private final EventLog events;
    private final InstantSource clock;

    StoreWorkerLog(String worker, EventLog events, InstantSource clock) {
        this.worker = worker;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void debug(String format, Object... args) {
        if (LOG.isDebugEnabled()) {
            LOG.debug("[{}] {}", worker, format(format, args));
        }
    }

    @Override
    public void info(String format, Object... args) {
        String message = format(format, args);
        LOG.info("[{}] {}", worker, message);
        record(LogEvent.Level.INFO, message);
    }

    @Override
    public void warn(String format, Object... args) {
        String message = format(format, args);
        LOG.warn("[{}] {}", worker, message);
        record(LogEvent.Level.WARN, message);
    }

    @Override
    public void error(String format, Object... args) {
        String message = format(format, args);
        LOG.error("[{}] {}", worker, message);
        record(LogEvent.Level.ERROR, message);
    }

    private void record(LogEvent.Level level, String message) {
        try {
            events.append(new LogEvent(clock.instant(), worker, level, message));
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not write a log event to the store: {}", worker, e.toString());
        }
    }

    private static String format(String format, Object[] args) {
        return MessageFormatter.basicArrayFormat(format, args);
    }
}
