package dev.starling.optimize;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Pareto dominance and hypervolume of points in loss space, where every coordinate is minimized (a maximized
 * outcome enters negated, as {@link Outcome#loss} gives it). Stateless and thread-safe.
 */
public final class Pareto {
    private Pareto() {
    }

    /** Whether {@code a} dominates {@code b}: no worse in every coordinate and better in at least one. */
    public static boolean dominates(double[] a, double[] b) {
        boolean better = false;
        for (int i = 0; i < a.length; i++) {
            if (a[i] > b[i]) {
                return false;
            }
            better |= a[i] < b[i];
        }
        return better;
    }

    /** The indices of the points no other point dominates, in their order; of equal points, the first only. */
    public static List<Integer> front(List<double[]> points) {
        List<Integer> front = new ArrayList<>();
        for (int i = 0; i < points.size(); i++) {
            boolean kept = true;
            for (int j = 0; j < points.size() && kept; j++) {
                kept = !(j != i && (dominates(points.get(j), points.get(i))
                        || (j < i && Arrays.equals(points.get(j), points.get(i)))));
            }
            if (kept) {
                front.add(i);
            }
        }
        return front;
    }

    /**
     * The volume of loss space that {@code points} dominate and {@code reference} bounds: the measure of progress
     * of a multi-objective search. Points not strictly better than the reference in every coordinate add nothing.
     * Exact, by slicing along the last coordinate (fine for fronts of hundreds of points in a few dimensions).
     */
    public static double hypervolume(List<double[]> points, double[] reference) {
        List<double[]> inside = new ArrayList<>();
        for (double[] p : points) {
            if (p.length != reference.length) {
                throw new IllegalArgumentException("a point has " + p.length + " coordinates, the reference "
                        + reference.length);
            }
            boolean below = true;
            for (int i = 0; i < p.length; i++) {
                below &= p[i] < reference[i];
            }
            if (below) {
                inside.add(p);
            }
        }
        return volume(inside, reference, reference.length);
    }

    /** The hypervolume in the first {@code d} coordinates. */
    private static double volume(List<double[]> points, double[] reference, int d) {
        if (points.isEmpty()) {
            return 0;
        }
        if (d == 1) {
            return reference[0] - points.stream().mapToDouble(p -> p[0]).min().orElseThrow();
        }
        int last = d - 1;
        List<double[]> sorted = new ArrayList<>(points);
        sorted.sort(Comparator.comparingDouble(p -> p[last]));
        double total = 0;
        for (int i = 0; i < sorted.size(); i++) {
            double top = i + 1 < sorted.size() ? sorted.get(i + 1)[last] : reference[last];
            double height = top - sorted.get(i)[last];
            if (height > 0) {
                total += height * volume(sorted.subList(0, i + 1), reference, last);
            }
        }
        return total;
    }
}
