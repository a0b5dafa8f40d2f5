package dev.starling.internal;

import dev.starling.Recovery;
import dev.starling.Scheduler;
import dev.starling.StopRequest;
import dev.starling.StoreUnavailableException;
import dev.starling.WorkerInfo;
import dev.starling.WorkerLog;
import dev.starling.WorkerOptions;
import dev.starling.WorkerState;
import dev.starling.spi.NetworkStore;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One member of a network as the store sees it — a worker or an ask/tell session: its registration, its heartbeat,
 * the stop requests and retirements the heartbeat reads, its sweeps for lost workers, and its contact with the store
 * (how long it could not reach it). The one such component: workers and sessions both run on it. What the heartbeat
 * learns goes to a {@link Listener}. A member declared lost while alive can {@link #join()} again under a new id.
 * Thread-safe.
 */
final class Membership {
    private static final Logger LOG = LoggerFactory.getLogger(Membership.class);

    /** What the heartbeat learns; called on a scheduler thread, so implementations must be quick. */
    interface Listener {
        /** A controller asked this member to terminate or be killed. */
        void stopRequested(StopRequest request);

        /** The network retired this member without its asking: LOST (its heartbeat expired) or KILLED. */
        void retired(WorkerState state);

        /** The store has not been reached for {@code silence}, longer than the outage limit. */
        void outage(Duration silence);
    }

    private final NetworkStore network;
    private final WorkerOptions options;
    private final Scheduler scheduler;
    private final String prefix;
    private final String storeLocation;
    private final Listener listener;

    private volatile String id;
    private volatile Sweeper sweeper;
    private volatile StoreWorkerLog log;
    private volatile Scheduler.Cancellable beat;
    private volatile boolean stopped;
    /** Whether the heartbeat is failing now: its first failure and its recovery are logged, not every failure. */
    private volatile boolean unreachable;

    /**
     * @param prefix        the prefix of the member's ids, e.g. "w-" for workers
     * @param storeLocation where the store is, for messages
     */
    Membership(NetworkStore network, WorkerOptions options, Scheduler scheduler, String prefix, String storeLocation,
               Listener listener) {
        this.network = network;
        this.options = options;
        this.scheduler = scheduler;
        this.prefix = prefix;
        this.storeLocation = storeLocation;
        this.listener = listener;
    }

    /**
     * Registers the member under a new id and starts its heartbeat; a member that was declared lost calls this again
     * to rejoin. Heartbeats start with the registration, not with the loop: a virtual thread may wait for a carrier.
     *
     * @throws dev.starling.StarlingException when the registration fails (no such network, store unreachable)
     */
    synchronized WorkerInfo join() {
        cancelBeat();
        String fresh = prefix + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextInt());
        Instant began = scheduler.clock().instant();
        WorkerInfo me = network.workers().register(fresh, Hosts.host(), Hosts.pid(), options.heartbeatExpiry(),
                options.tags());
        id = fresh;
        log = new StoreWorkerLog(fresh, network.events(), scheduler.clock());
        StoreWorkerLog own = log;
        sweeper = new Sweeper(network, scheduler.clock(), options.heartbeatPeriod(), began, r -> own.warn(
                "worker {} was lost; recovered {} task(s): {} requeued, {} failed", r.worker(), r.recovered(),
                r.requeued(), r.failed()));
        unreachable = false;
        stopped = false;
        beat = scheduler.repeat(options.heartbeatPeriod(), () -> beat(fresh));
        return me;
    }

    /** The member's current id. */
    String id() {
        return id;
    }

    /** The member's log (SLF4J, and the store's event log from INFO up). */
    WorkerLog log() {
        return log;
    }

    /** How long since the member last reached the store. */
    Duration silence() {
        return sweeper.contact().silence();
    }

    /** The message for an outage of {@code silence}: the store, how long it was gone, and the limit. */
    String outageMessage(Duration silence) {
        return "the store " + storeLocation + " was unreachable for " + Durations.describe(silence)
                + ", longer than the outage limit of " + Durations.describe(options.outageLimit());
    }

    /** Whether the store has been out of reach longer than the outage limit. */
    boolean pastOutageLimit() {
        return silence().compareTo(options.outageLimit()) > 0;
    }

    /** The member's registration as the store knows it now. */
    WorkerState state() {
        return network.workers().get(id).map(WorkerInfo::state).orElse(WorkerState.LOST);
    }

    /** Stops the heartbeat and moves the member to {@code state}, recovering its running tasks. */
    Recovery retire(WorkerState state) {
        stop();
        return network.retire(id, state);
    }

    /** Stops the heartbeat, leaving the registration as it is. Idempotent. */
    synchronized void stop() {
        stopped = true;
        cancelBeat();
    }

    private void cancelBeat() {
        if (beat != null) {
            beat.cancel();
            beat = null;
        }
    }

    /**
     * Tells the listener what a heartbeat of registration {@code as} answered, unless the member joined again under a
     * new id while the heartbeat was on its way: the answer is about a registration the member has left. (Regression:
     * a late LOST of the registration just left made the member join a second time, and the first rejoin's
     * registration stayed RUNNING for good, without heartbeat, holding the task it had claimed.) Holds the lock so
     * that no join comes between the check and the telling.
     *
     * @return whether the member goes on as {@code as}
     */
    private synchronized boolean tell(String as, WorkerInfo me) {
        if (stopped || !as.equals(id)) {
            return false;
        }
        if (me.state() != WorkerState.RUNNING) {
            listener.retired(me.state());
            return false;
        }
        if (me.stopRequest() != StopRequest.NONE) {
            listener.stopRequested(me.stopRequest());
        }
        return true;
    }

    /** One heartbeat of the member registered as {@code as}: a beat of an earlier registration does nothing. */
    private void beat(String as) {
        if (stopped || !as.equals(id)) {
            return;
        }
        Sweeper sweep = sweeper;
        Instant began = scheduler.clock().instant();
        try {
            WorkerInfo me = network.workers().heartbeat(as);
            sweep.contact().succeeded(began);
            if (unreachable) {
                unreachable = false;
                log.info("reached the store again");
            }
            if (!tell(as, me)) {
                return;
            }
            sweep.sweep();
        } catch (StoreUnavailableException e) {
            Duration silence = sweep.contact().silence();
            if (silence.compareTo(options.outageLimit()) > 0) {
                listener.outage(silence);
            } else if (!unreachable) {
                unreachable = true;
                LOG.warn("[{}] cannot reach the store ({}); retrying for up to the outage limit of {}", as,
                        e.getMessage(), Durations.describe(options.outageLimit()));
            }
        } catch (RuntimeException e) {
            LOG.warn("[{}] heartbeat failed: {}", as, e.toString());
        }
    }
}
