package dev.starling.testkit;

import dev.starling.Scheduler;
import dev.starling.Store;

/** The store contract on the in-process memory store. */
class MemoryStoreContractTest extends StoreContract {
    @Override
    protected Store openStore(Scheduler scheduler) {
        return Store.memory(scheduler);
    }
}
