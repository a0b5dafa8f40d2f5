package dev.starling.spi;

import java.net.URI;

/**
 * Opens stores for a URI scheme; found with {@link java.util.ServiceLoader}, so that
 * {@code Store.open("redis://…")} works whenever the module that provides the scheme is on the class path.
 */
public interface StoreProvider {

    /** Whether this provider opens stores of this scheme, e.g. "redis". */
    boolean supports(String scheme);

    /** Opens a store. */
    StoreBackend open(URI uri);
}
