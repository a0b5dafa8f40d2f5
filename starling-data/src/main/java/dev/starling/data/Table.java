package dev.starling.data;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * An immutable, numeric, labelled data set: {@link #rows()} rows of {@link #width()} encoded features and one label
 * per row. Missing feature values are {@code Double.NaN}; labels are never missing. {@link Datasets#load} makes
 * tables; {@link #rows(int, int)} and {@link #shuffled(long)} derive new ones.
 *
 * <p>{@link #x()} and {@link #y()} return fresh copies, so a caller may modify them freely; each call copies
 * {@code rows × width} numbers, so call them once and keep the result. A class rather than a record because a
 * record's {@code equals} would compare the arrays by identity.
 *
 * <p>This class is thread-safe: instances never change after construction.
 */
public final class Table {
    private final String name;
    private final String target;
    private final List<String> features;
    private final double[][] x;
    private final double[] y;

    /** Takes ownership of the arrays: callers must not keep or change them. */
    Table(String name, String target, List<String> features, double[][] x, double[] y) {
        this.name = name;
        this.target = target;
        this.features = List.copyOf(features);
        this.x = x;
        this.y = y;
    }

    /**
     * The data set's name: the named data set ({@code credit-g}), or the file name without its extension.
     *
     * @return the name, never null
     */
    public String name() {
        return name;
    }

    /**
     * The target spec the table was loaded with, such as {@code class=bad} or {@code delay>15}.
     *
     * @return the target spec, never null
     */
    public String target() {
        return target;
    }

    /**
     * The names of the encoded feature columns, in the column order of {@link #x()}: a numeric column keeps its
     * name, a nominal one becomes {@code COL=LEVEL} columns, a date-time one {@code COL.hour} and
     * {@code COL.weekday} (see {@link Datasets}).
     *
     * @return an unmodifiable list of {@link #width()} names
     */
    public List<String> features() {
        return features;
    }

    /**
     * The feature matrix, rows × features, row-major, {@code NaN} for missing values.
     *
     * @return a fresh deep copy, which the caller may modify
     */
    public double[][] x() {
        double[][] copy = new double[x.length][];
        for (int i = 0; i < x.length; i++) {
            copy[i] = x[i].clone();
        }
        return copy;
    }

    /**
     * The label of each row: the target column's value, or 0/1 for a two-level or comparison target.
     *
     * @return a fresh copy of {@link #rows()} labels, which the caller may modify
     */
    public double[] y() {
        return y.clone();
    }

    /**
     * The number of rows.
     *
     * @return the number of rows, zero or more
     */
    public int rows() {
        return y.length;
    }

    /**
     * The number of encoded feature columns, {@code features().size()}.
     *
     * @return the number of features
     */
    public int width() {
        return features.size();
    }

    /**
     * The rows {@code from} (inclusive) to {@code to} (exclusive), as a new table with the same name, target and
     * features.
     *
     * @param from the first row, 0 or more
     * @param to one past the last row, at most {@link #rows()}
     * @return the slice
     * @throws IndexOutOfBoundsException unless {@code 0 <= from <= to <= rows()}
     */
    public Table rows(int from, int to) {
        if (from < 0 || from > to || to > y.length) {
            throw new IndexOutOfBoundsException("rows(from, to) of " + name + " needs 0 <= from <= to <= "
                    + y.length + ", was (" + from + ", " + to + ")");
        }
        // Rows are never modified, so the slice may share them.
        return new Table(name, target, features, Arrays.copyOfRange(x, from, to), Arrays.copyOfRange(y, from, to));
    }

    /**
     * The same rows in a random order that depends only on {@code seed}: the same seed gives the same order on
     * every run and JDK, since {@link Random}'s algorithm is specified.
     *
     * @param seed the seed of the permutation
     * @return a new table with permuted rows
     */
    public Table shuffled(long seed) {
        int[] order = new int[y.length];
        Arrays.setAll(order, i -> i);
        Random random = new Random(seed);
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        double[][] xs = new double[order.length][];
        double[] ys = new double[order.length];
        for (int i = 0; i < order.length; i++) {
            xs[i] = x[order[i]];
            ys[i] = y[order[i]];
        }
        return new Table(name, target, features, xs, ys);
    }

    /**
     * A short description: name, shape and target.
     *
     * @return for example {@code Table[credit-g: 1000 rows × 63 features, target class=bad]}
     */
    @Override
    public String toString() {
        return "Table[" + name + ": " + rows() + " rows × " + width() + " features, target " + target + "]";
    }
}
