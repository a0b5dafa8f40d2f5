package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.Store;
import dev.starling.testkit.FuturesContract;
import dev.starling.testkit.RuntimeContract;
import dev.starling.testkit.StoreContract;
import dev.starling.testkit.TestRedis;
import org.junit.jupiter.api.Nested;

/**
 * The store, runtime and futures contracts on a Redis Cluster of three masters started on loopback by the fixture,
 * through the same {@code redis://host:port} URL as a standalone server: the store finds out that it is a cluster.
 * Each test's network has a name of its own, so the suites' networks fall on all three nodes.
 */
class RedisClusterContractTest {

    @Nested
    class Store_ extends StoreContract {
        @Override
        protected Store openStore(Scheduler scheduler) {
            return RedisStore.open(TestRedis.clusterUrl(), scheduler);
        }
    }

    @Nested
    class Runtime extends RuntimeContract {
        @Override
        protected Store openStore(Scheduler scheduler) {
            return RedisStore.open(TestRedis.clusterUrl(), scheduler);
        }
    }

    @Nested
    class Futures extends FuturesContract {
        @Override
        protected Store openStore(Scheduler scheduler) {
            return RedisStore.open(TestRedis.clusterUrl(), scheduler);
        }
    }
}
