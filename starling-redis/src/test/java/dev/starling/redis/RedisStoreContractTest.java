package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.Store;
import dev.starling.testkit.StoreContract;
import dev.starling.testkit.TestRedis;

/** The store contract on a real redis-server. */
class RedisStoreContractTest extends StoreContract {
    @Override
    protected Store openStore(Scheduler scheduler) {
        return RedisStore.open(TestRedis.url(), scheduler);
    }
}
