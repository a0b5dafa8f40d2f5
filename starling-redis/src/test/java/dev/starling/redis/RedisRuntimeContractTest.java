package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.Store;
import dev.starling.testkit.RuntimeContract;
import dev.starling.testkit.TestRedis;

/** The runtime contract on a real redis-server. */
class RedisRuntimeContractTest extends RuntimeContract {
    @Override
    protected Store openStore(Scheduler scheduler) {
        return RedisStore.open(TestRedis.url(), scheduler);
    }
}
