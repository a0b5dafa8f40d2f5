package dev.starling;

/**
 * Seeds derived from a network seed, the same in every store and every language that follows this recipe (the
 * SplitMix64 finalizer over a golden-ratio sequence). Stateless and thread-safe.
 */
public final class Seeds {
    private static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private static final long WORKER_STREAM = 0x5851F42D4C957F2DL;

    private Seeds() {
    }

    /** The seed of task {@code id} in a network seeded with {@code networkSeed}. */
    public static long task(long networkSeed, long id) {
        return mix(networkSeed + id * GOLDEN);
    }

    /** The seed of the worker that registered {@code ordinal}-th, for work it does outside any task. */
    public static long worker(long networkSeed, int ordinal) {
        return mix((networkSeed ^ WORKER_STREAM) + ordinal * GOLDEN);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
