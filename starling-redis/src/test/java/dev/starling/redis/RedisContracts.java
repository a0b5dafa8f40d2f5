package dev.starling.redis;

import dev.starling.Scheduler;
import dev.starling.Store;
import dev.starling.testkit.FuturesContract;
import dev.starling.testkit.RuntimeContract;
import dev.starling.testkit.StoreContract;
import org.junit.jupiter.api.Nested;

/** The store, runtime and futures contracts, on whatever Redis a subclass opens (a cluster, an ACL user, ...). */
abstract class RedisContracts {
    /** Opens the store under test on {@code scheduler}. */
    abstract Store open(Scheduler scheduler);

    @Nested
    class Store_ extends StoreContract {
        @Override
        protected Store openStore(Scheduler scheduler) {
            return open(scheduler);
        }
    }

    @Nested
    class Runtime extends RuntimeContract {
        @Override
        protected Store openStore(Scheduler scheduler) {
            return open(scheduler);
        }
    }

    @Nested
    class Futures extends FuturesContract {
        @Override
        protected Store openStore(Scheduler scheduler) {
            return open(scheduler);
        }
    }
}
