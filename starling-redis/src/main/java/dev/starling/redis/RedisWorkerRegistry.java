package dev.starling.redis;

import dev.starling.StarlingException;
import dev.starling.StopRequest;
import dev.starling.WorkerInfo;
import dev.starling.spi.WorkerRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.Optional;

/** The workers of one network in Redis: one hash of packed worker records and a sorted set by ordinal. Thread-safe. */
final class RedisWorkerRegistry implements WorkerRegistry {
    /** Fields of a worker's record in the {@code worker} hash: prelude.lua's WORKER_WIDTH. */
    static final int RECORD_WIDTH = 16;

    private final RedisNetworkStore network;

    RedisWorkerRegistry(RedisNetworkStore network) {
        this.network = network;
    }

    @Override
    public WorkerInfo register(String id, String host, long pid, Duration heartbeatExpiry, Set<String> tags) {
        List<String> args = List.of(id, host, Long.toString(pid), network.livenessNow(),
                Long.toString(heartbeatExpiry.toNanos() / 1_000), String.join(",", new TreeSet<>(tags)));
        try {
            return Codec.worker((List<?>) network.scriptOnce("register", args), 0);
        } catch (Redis.Unreachable e) {
            try {
                return Codec.worker((List<?>) network.script("register", args), 0);
            } catch (StarlingException duplicate) {
                // The first try registered the worker before the connection dropped.
                return get(id).filter(w -> w.host().equals(host) && w.pid() == pid).orElseThrow(() -> duplicate);
            }
        }
    }

    @Override
    public WorkerInfo heartbeat(String id) {
        return Codec.worker((List<?>) network.script("heartbeat", List.of(id, network.livenessNow())), 0);
    }

    @Override
    public void requestStop(String id, StopRequest request) {
        network.script("request_stop", List.of(id, request.name()));
    }

    @Override
    public Optional<WorkerInfo> get(String id) {
        String record = network.redis().retrying(c -> c.hget(network.prefix() + "worker", id));
        return record == null ? Optional.empty() : Optional.of(Codec.worker(Codec.fields(record, RECORD_WIDTH), 0));
    }

    @Override
    public List<WorkerInfo> list() {
        return Codec.workers((List<?>) network.script("workers", List.of()));
    }
}
