package dev.starling.tune;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;

/**
 * A stratified, seeded split of rows into k folds for cross-validation. The rows of each class are shuffled with
 * {@link Random} seeded by the seed (an algorithm the JDK specifies, so the same seed splits the same way on every
 * run and machine), then dealt to the folds in turn, one class after the other, continuing the deal where the last
 * class stopped. So every fold holds each class in proportion, give or take one row, and fold sizes differ by at most
 * one. Immutable and thread-safe.
 */
public final class Folds {
    private final int[] foldOf;
    private final int count;

    private Folds(int[] foldOf, int count) {
        this.foldOf = foldOf;
        this.count = count;
    }

    /**
     * Splits rows with {@code labels} into {@code k} stratified folds.
     *
     * @throws IllegalArgumentException when k is less than 2 or more than the rows of some class (a fold would then
     *                                  lack that class)
     */
    public static Folds stratified(double[] labels, int k, long seed) {
        if (k < 2) {
            throw new IllegalArgumentException("cross-validation needs at least 2 folds, was " + k);
        }
        TreeMap<Double, List<Integer>> classes = new TreeMap<>();
        for (int i = 0; i < labels.length; i++) {
            classes.computeIfAbsent(labels[i], c -> new ArrayList<>()).add(i);
        }
        for (var c : classes.entrySet()) {
            if (c.getValue().size() < k) {
                throw new IllegalArgumentException("class " + c.getKey() + " has " + c.getValue().size()
                        + " rows, fewer than the " + k + " folds, so some folds would have none; use at most "
                        + c.getValue().size() + " folds");
            }
        }
        Random random = new Random(seed);
        int[] foldOf = new int[labels.length];
        int dealt = 0;
        for (List<Integer> rows : classes.values()) {
            java.util.Collections.shuffle(rows, random);
            for (int row : rows) {
                foldOf[row] = dealt++ % k;
            }
        }
        return new Folds(foldOf, k);
    }

    /** The number of folds. */
    public int count() {
        return count;
    }

    /** The number of rows split. */
    public int rows() {
        return foldOf.length;
    }

    /** The fold that holds {@code row} as a test row. */
    public int foldOf(int row) {
        return foldOf[row];
    }

    /** The rows of fold {@code f}, ascending: its test rows. */
    public int[] test(int f) {
        return rows(f, true);
    }

    /** The rows of every other fold, ascending: fold {@code f}'s training rows. */
    public int[] train(int f) {
        return rows(f, false);
    }

    private int[] rows(int f, boolean in) {
        if (f < 0 || f >= count) {
            throw new IndexOutOfBoundsException("fold " + f + " of " + count);
        }
        return java.util.stream.IntStream.range(0, foldOf.length).filter(i -> (foldOf[i] == f) == in).toArray();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Folds other && count == other.count && Arrays.equals(foldOf, other.foldOf);
    }

    @Override
    public int hashCode() {
        return 31 * count + Arrays.hashCode(foldOf);
    }

    @Override
    public String toString() {
        return "Folds[" + count + " folds of " + foldOf.length + " rows]";
    }
}
