package dev.starling.internal;

import dev.starling.Scheduler;
import dev.starling.StarlingException;
import dev.starling.StopRequest;
import dev.starling.Task;
import dev.starling.TaskError;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import dev.starling.WorkerState;
import dev.starling.spi.Lease;
import dev.starling.spi.NetworkStore;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker behind a {@link WorkerSession}, on the same {@link Membership} as every worker: registration,
 * heartbeats, sweeps, stop requests. A terminate request makes {@link #create} return empty (tasks already created may
 * still be finished); a kill retires the session at once, its running tasks recovered. A session declared lost while
 * alive rejoins under a new id. Thread-safe.
 */
public final class SessionRuntime implements WorkerSession {
    private static final Logger LOG = LoggerFactory.getLogger(SessionRuntime.class);

    private final NetworkStore network;
    private final Membership membership;
    private volatile boolean closed;
    private volatile boolean stopping;
    private volatile boolean killed;
    private volatile boolean rejoin;

    /** Registers the session's worker in {@code network} and starts its heartbeat. */
    public SessionRuntime(NetworkStore network, WorkerOptions options, Scheduler scheduler, String storeLocation) {
        this.network = network;
        this.membership = new Membership(network, options, scheduler, "s-", storeLocation, new Listener());
        membership.join();
    }

    @Override
    public String workerId() {
        return membership.id();
    }

    @Override
    public Optional<Task> create(Object xs) {
        requireOpen();
        String payload = Json.object(xs, "inputs of a new task");
        if (stopping || killed) {
            return Optional.empty();
        }
        if (rejoin) {
            rejoin = false;
            String old = membership.id();
            membership.join();
            LOG.warn("[{}] rejoined the network: session {} had been declared lost; its running tasks were"
                    + " recovered", membership.id(), old);
        }
        return network.tasks().pushRunning(membership.id(), payload);
    }

    @Override
    public boolean finish(Task task, Object ys) {
        return network.tasks().finish(Lease.of(task), Json.object(ys, "outputs of task " + task.id()));
    }

    @Override
    public boolean fail(Task task, Throwable error) {
        return network.tasks().fail(Lease.of(task), TaskError.of(error));
    }

    @Override
    public boolean isStopping() {
        return stopping || killed;
    }

    private void requireOpen() {
        if (closed) {
            throw new StarlingException("worker session " + membership.id() + " of network '" + network.name()
                    + "' is closed");
        }
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        membership.stop();
        if (!killed && !rejoin) {
            try {
                membership.retire(WorkerState.TERMINATED);
            } catch (RuntimeException e) {
                LOG.warn("[{}] could not record the session's end in the store: {}", membership.id(), e.toString());
            }
        }
    }

    /** What the heartbeat learns. */
    private final class Listener implements Membership.Listener {
        @Override
        public void stopRequested(StopRequest request) {
            if (request == StopRequest.KILL) {
                kill();
            } else if (request == StopRequest.TERMINATE) {
                stopping = true;
            }
        }

        @Override
        public void retired(WorkerState state) {
            if (state == WorkerState.LOST && !closed && !killed) {
                LOG.warn("[{}] the network declared this session lost; its running tasks were recovered",
                        membership.id());
                rejoin = true;
            } else {
                killed = true;
            }
            membership.stop();
        }

        @Override
        public void outage(Duration silence) {
            LOG.warn("[{}] {}", membership.id(), membership.outageMessage(silence));
        }
    }

    private synchronized void kill() {
        if (killed || closed) {
            return;
        }
        killed = true;
        try {
            membership.retire(WorkerState.KILLED);
        } catch (RuntimeException e) {
            LOG.warn("[{}] could not record the kill in the store: {}", membership.id(), e.toString());
        }
    }
}
