package dev.starling.internal.memory;

import dev.starling.LogEvent;
import dev.starling.spi.EventLog;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/** Per-worker event logs in memory, each keeping its most recent {@value #CAPACITY} events. Thread-safe. */
final class MemoryEventLog implements EventLog {
    static final int CAPACITY = 10_000;

    private final ConcurrentHashMap<String, ArrayDeque<LogEvent>> logs = new ConcurrentHashMap<>();

    @Override
    public void append(LogEvent event) {
        ArrayDeque<LogEvent> log = logs.computeIfAbsent(event.worker(), w -> new ArrayDeque<>());
        synchronized (log) {
            if (log.size() == CAPACITY) {
                log.removeFirst();
            }
            log.addLast(event);
        }
    }

    @Override
    public List<LogEvent> read(String worker) {
        ArrayDeque<LogEvent> log = logs.get(worker);
        if (log == null) {
            return List.of();
        }
        synchronized (log) {
            return List.copyOf(log);
        }
    }
}
