package dev.starling.spi;

import dev.starling.Store;

/**
 * What a store implements beyond the user's {@link Store}: the shared state of each network. Every store, the memory
 * store included, implements this interface; users hold a {@link Store} and never see it.
 */
public interface StoreBackend extends Store {

    /** The state of the network called {@code name}; it exists once created. */
    NetworkStore network(String name);

    /**
     * The backend of {@code store}.
     *
     * @throws IllegalArgumentException when the store was not written against this SPI
     */
    static StoreBackend of(Store store) {
        if (store instanceof StoreBackend backend) {
            return backend;
        }
        throw new IllegalArgumentException(store.getClass().getName() + " does not implement "
                + StoreBackend.class.getName() + "; a store must, to hold networks");
    }
}
