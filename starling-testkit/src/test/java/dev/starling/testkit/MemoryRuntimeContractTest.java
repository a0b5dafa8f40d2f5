package dev.starling.testkit;

import dev.starling.Scheduler;
import dev.starling.Store;

/** The runtime contract on the in-process memory store. */
class MemoryRuntimeContractTest extends RuntimeContract {
    @Override
    protected Store openStore(Scheduler scheduler) {
        return Store.memory(scheduler);
    }
}
