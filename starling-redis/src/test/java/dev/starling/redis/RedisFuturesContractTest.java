package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.Store;
import dev.starling.testkit.FuturesContract;
import dev.starling.testkit.TestRedis;

/** The futures contract on a real redis-server. */
class RedisFuturesContractTest extends FuturesContract {
    @Override
    protected Store openStore(Scheduler scheduler) {
        return RedisStore.open(TestRedis.url(), scheduler);
    }
}
