package dev.starling.internal;

import dev.starling.StarlingException;
import dev.starling.Task;
import dev.starling.TaskError;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import dev.starling.WorkerState;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.Recovery;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The worker behind a {@link WorkerSession}: registration, heartbeats and sweeps, retirement. Thread-safe. */
public final class SessionRuntime implements WorkerSession {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRuntime.class);

    private final NetworkStore network;
    private final WorkerOptions options;
    private final String id;
    private final ScheduledFuture<?> heartbeat;
    private volatile boolean closed;
    private volatile boolean lost;

    /** Registers the session's worker in {@code network} and starts its heartbeat. */
    public SessionRuntime(NetworkStore network, WorkerOptions options) {
        this.network = network;
        this.options = options;
        this.id = "s-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        network.workers().register(id, Hosts.host(), Hosts.pid(), options.heartbeatExpiry());
        this.heartbeat = Heartbeats.every(options.heartbeatPeriod(), this::heartbeat);
    }

    @Override
    public String workerId() {
        return id;
    }

    @Override
    public Optional<Task> create(Object xs) {
        requireOpen();
        String payload = Json.object(xs, "inputs of a new task");
        Optional<Task> task = network.tasks().pushRunning(id, payload);
        if (task.isEmpty()) {
            requireOpen();
        }
        return task;
    }

    @Override
    public boolean finish(Task task, Object ys) {
        return network.tasks().finish(task.lease(), Json.object(ys, "outputs of task " + task.id()));
    }

    @Override
    public boolean fail(Task task, Throwable error) {
        return network.tasks().fail(task.lease(), TaskError.of(error));
    }

    private void requireOpen() {
        if (closed) {
            throw new StarlingException("worker session " + id + " of network '" + network.name() + "' is closed");
        }
        if (lost) {
            throw new StarlingException("worker session " + id + " of network '" + network.name() + "' was declared"
                    + " lost (no heartbeat for " + options.heartbeatExpiry() + "); open a new session");
        }
    }

    private void heartbeat() {
        if (closed || lost) {
            return;
        }
        try {
            WorkerInfo me = network.workers().heartbeat(id);
            if (me.state() != WorkerState.RUNNING) {
                lost = true;
                LOG.warn("[{}] the network marked this session {}; its running tasks were recovered", id, me.state());
                return;
            }
            for (Recovery r : network.recoverLostWorkers(options.heartbeatPeriod())) {
                LOG.warn("[{}] worker {} was lost; recovered {} task(s)", id, r.worker(), r.recovered());
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] heartbeat failed: {}", id, e.toString());
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        heartbeat.cancel(false);
        if (!lost) {
            try {
                network.retire(id, WorkerState.TERMINATED);
            } catch (RuntimeException e) {
                LOG.warn("[{}] could not record the session's end in the store: {}", id, e.toString());
            }
        }
    }
}
