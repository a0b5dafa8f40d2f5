package dev.starling.testkit;

import dev.starling.Scheduler;
import dev.starling.Store;

/** The futures contract on the in-process memory store. */
class MemoryFuturesContractTest extends FuturesContract {
    @Override
    protected Store openStore(Scheduler scheduler) {
        return Store.memory(scheduler);
    }
}
