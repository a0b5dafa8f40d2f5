package dev.starling.internal.memory;

import dev.starling.StarlingException;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * An unbounded array of references indexed by long, grown in chunks that are never moved, so readers never lock.
 * Thread-safe.
 */
final class ChunkedArray<T> {
    private static final int SHIFT = 14;
    private static final int CHUNK = 1 << SHIFT;
    private static final int MASK = CHUNK - 1;
    private static final int MAX_CHUNKS = 1 << 17;

    private final AtomicReferenceArray<AtomicReferenceArray<T>> chunks = new AtomicReferenceArray<>(MAX_CHUNKS);

    T get(long index) {
        AtomicReferenceArray<T> chunk = chunks.get(chunkIndex(index));
        return chunk == null ? null : chunk.get((int) (index & MASK));
    }

    void set(long index, T value) {
        chunk(index).set((int) (index & MASK), value);
    }

    boolean compareAndSet(long index, T expected, T value) {
        return chunk(index).compareAndSet((int) (index & MASK), expected, value);
    }

    private AtomicReferenceArray<T> chunk(long index) {
        int c = chunkIndex(index);
        AtomicReferenceArray<T> chunk = chunks.get(c);
        if (chunk == null) {
            chunks.compareAndSet(c, null, new AtomicReferenceArray<>(CHUNK));
            chunk = chunks.get(c);
        }
        return chunk;
    }

    private static int chunkIndex(long index) {
        long c = index >>> SHIFT;
        if (index < 0 || c >= MAX_CHUNKS) {
            throw new StarlingException("the memory store holds at most " + ((long) MAX_CHUNKS * CHUNK)
                    + " entries per network; index " + index + " is out of range");
        }
        return (int) c;
    }
}
