package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.Store;
import dev.starling.testkit.TestRedis;

/**
 * The store, runtime and futures contracts on a Redis Cluster of three masters started on loopback by the fixture,
 * through the same {@code redis://host:port} URL as a standalone server: the store finds out that it is a cluster.
 * Each test's network has a name of its own, so the suites' networks fall on all three nodes.
 */
class RedisClusterContractTest extends RedisContracts {
    @Override
    Store open(Scheduler scheduler) {
        return RedisStore.open(TestRedis.clusterUrl(), scheduler);
    }
}
