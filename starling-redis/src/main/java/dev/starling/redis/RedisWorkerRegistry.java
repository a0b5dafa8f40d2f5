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

/** The workers of one network in Redis: a hash per worker and a sorted set by ordinal. Thread-safe. */
final class RedisWorkerRegistry implements WorkerRegistry {
    private static final String[] FIELDS = {"id", "ord", "host", "pid", "started", "hb", "exp", "state", "stop",
        "stopped", "rec", "tags"};

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
        List<String> v = network.redis().retrying(c -> c.hmget(network.prefix() + "worker:" + id, FIELDS));
        return v.get(0) == null ? Optional.empty() : Optional.of(Codec.worker(v, 0));
    }

    @Override
    public List<WorkerInfo> list() {
        return Codec.workers((List<?>) network.script("workers", List.of()));
    }
}
