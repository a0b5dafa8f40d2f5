package dev.starling.algorithms;

import java.util.Arrays;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * How much slower than its compute each worker is, as the ASYNC engine models stragglers: after its worker step, a
 * worker with slowdown {@code m} sleeps {@code (m - 1)} times the step's own time, so that its answers come {@code m}
 * times slower. Immutable.
 *
 * @param kind   which model
 * @param factor the slowdown of {@link #one}; 1 otherwise
 * @param seed   which workers the {@link #longTail} model makes slow, and how slow
 */
public record Stragglers(Kind kind, double factor, long seed) {
    /** No stragglers. */
    public static final Stragglers NONE = new Stragglers(Kind.NONE, 1, 0);

    /** The models. */
    public enum Kind {
        /** See {@link Stragglers#NONE}. */
        NONE,
        /** See {@link Stragglers#one}. */
        ONE,
        /** See {@link Stragglers#longTail}. */
        LONG_TAIL
    }

    public Stragglers {
        if (kind == null) {
            throw new IllegalArgumentException("a straggler model needs a kind");
        }
        if (!(factor >= 1) || Double.isInfinite(factor)) {
            throw new IllegalArgumentException("a straggler is at least 1× slower, was " + factor);
        }
    }

    /** The last worker is {@code factor} times slower (the delay intensity); the others run at full speed. */
    public static Stragglers one(double factor) {
        return new Stragglers(Kind.ONE, factor, 0);
    }

    /**
     * ASYNC's cloud long-tail model: a quarter of the workers (rounded, at least one when there are 4 or more) are
     * slow; each slow worker is 1.5–2.5× slower with probability 0.8, otherwise 2.5–10× slower (uniform). Which
     * workers, and how slow, follow from {@code seed}.
     */
    public static Stragglers longTail(long seed) {
        return new Stragglers(Kind.LONG_TAIL, 1, seed);
    }

    /**
     * Parses {@code none}, {@code longtail} (seed 0), {@code longtail:SEED}, or a factor {@code F} for {@link #one}.
     *
     * @throws IllegalArgumentException naming the accepted forms
     */
    public static Stragglers parse(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.equals("none")) {
                return NONE;
            }
            if (t.equals("longtail")) {
                return longTail(0);
            }
            if (t.startsWith("longtail:")) {
                return longTail(Long.parseLong(t.substring("longtail:".length())));
            }
            return one(Double.parseDouble(t));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("stragglers must be none, longtail, longtail:SEED or a slowdown"
                    + " factor F ≥ 1 of the last worker, was '" + text + "'", e);
        }
    }

    /** The slowdown of each of {@code workers} workers, by index; 1 is full speed. */
    public double[] slowdowns(int workers) {
        double[] m = new double[workers];
        Arrays.fill(m, 1);
        switch (kind) {
            case NONE -> { }
            case ONE -> m[workers - 1] = factor;
            case LONG_TAIL -> {
                SplittableRandom random = new SplittableRandom(seed);
                int[] order = new int[workers];
                Arrays.setAll(order, i -> i);
                for (int i = workers - 1; i > 0; i--) {
                    int j = random.nextInt(i + 1);
                    int swap = order[i];
                    order[i] = order[j];
                    order[j] = swap;
                }
                int slow = (int) Math.round(workers / 4.0);
                for (int s = 0; s < slow; s++) {
                    m[order[s]] = random.nextDouble() < 0.8 ? random.nextDouble(1.5, 2.5)
                            : random.nextDouble(2.5, 10);
                }
            }
        }
        return m;
    }

    @Override
    public String toString() {
        return switch (kind) {
            case NONE -> "none";
            case ONE -> "last worker " + factor + "× slower";
            case LONG_TAIL -> "longtail:" + seed;
        };
    }
}
