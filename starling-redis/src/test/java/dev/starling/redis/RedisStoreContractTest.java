package dev.starling.redis;

import dev.starling.Store;
import dev.starling.testkit.ManualClock;
import dev.starling.testkit.StoreContract;
import dev.starling.testkit.TestRedis;

/** The store contract on a real redis-server. */
class RedisStoreContractTest extends StoreContract {
    @Override
    protected Store openStore(ManualClock clock) {
        return RedisStore.open(TestRedis.url(), clock);
    }
}
