package dev.starling.redis;

import dev.starling.Store;
import dev.starling.spi.StoreBackend;
import dev.starling.spi.StoreProvider;
import java.net.URI;

/** Opens {@code redis://} and {@code rediss://} stores for {@link Store#open(String)}. */
public final class RedisStoreProvider implements StoreProvider {
    /** Called by {@link java.util.ServiceLoader}. */
    public RedisStoreProvider() {
    }

    @Override
    public boolean supports(String scheme) {
        return "redis".equals(scheme) || "rediss".equals(scheme);
    }

    @Override
    public StoreBackend open(URI uri) {
        return RedisStore.open(uri.toString());
    }
}
