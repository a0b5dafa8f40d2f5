package dev.starling.optimize.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A Sobol low-discrepancy sequence in 1 to 1,000 dimensions, built with the Gray-code method from the direction
 * numbers of S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better two-dimensional projections", SIAM J.
 * Sci. Comput. 30, 2635–2654 (2008) (the data file new-joe-kuo-6.1000 from https://web.maths.unsw.edu.au/~fkuo/sobol/,
 * kept as a resource beside this class). The sequence is randomly shifted (a Cranley–Patterson rotation: a uniform
 * vector drawn from the seed is added modulo 1), so that different seeds give different designs that keep the
 * sequence's stratification. Not thread-safe.
 */
public final class Sobol {
    /** The most dimensions the direction-number file covers. */
    public static final int MAX_DIMENSION = 1000;
    private static final int BITS = 52;
    private static final double SCALE = 0x1p-52;
    private static volatile List<int[]> table;

    private final long[][] directions;
    private final long[] x;
    private final double[] shift;
    private long index;

    /** A sequence in {@code dimension} dimensions, shifted by a vector drawn from {@code seed}. */
    public Sobol(int dimension, long seed) {
        this(dimension, shift(dimension, seed));
    }

    /** The sequence without a shift: its first point is the origin. */
    public static Sobol unshifted(int dimension) {
        return new Sobol(dimension, new double[dimension]);
    }

    private Sobol(int dimension, double[] shift) {
        if (dimension < 1 || dimension > MAX_DIMENSION) {
            throw new IllegalArgumentException("Sobol designs support 1 to " + MAX_DIMENSION + " dimensions, was "
                    + dimension + "; use a Latin hypercube or a random design beyond that");
        }
        this.shift = shift;
        this.x = new long[dimension];
        this.directions = new long[dimension][BITS + 1];
        for (int k = 1; k <= BITS; k++) {
            directions[0][k] = 1L << (BITS - k);
        }
        List<int[]> rows = table();
        for (int j = 1; j < dimension; j++) {
            int[] row = rows.get(j - 1);
            int s = row[0];
            int a = row[1];
            long[] v = directions[j];
            for (int k = 1; k <= Math.min(s, BITS); k++) {
                v[k] = (long) row[1 + k] << (BITS - k);
            }
            for (int k = s + 1; k <= BITS; k++) {
                v[k] = v[k - s] ^ (v[k - s] >> s);
                for (int i = 1; i < s; i++) {
                    v[k] ^= ((a >> (s - 1 - i)) & 1L) * v[k - i];
                }
            }
        }
    }

    private static double[] shift(int dimension, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] shift = new double[Math.max(dimension, 0)];
        for (int i = 0; i < shift.length; i++) {
            shift[i] = random.nextDouble();
        }
        return shift;
    }

    /** The next point, each coordinate in [0, 1). */
    public double[] next() {
        double[] point = new double[x.length];
        for (int j = 0; j < x.length; j++) {
            double u = x[j] * SCALE + shift[j];
            point[j] = u >= 1 ? u - 1 : u;
        }
        // Gray code: the next point flips the direction number of the lowest zero bit of the index.
        int c = Long.numberOfTrailingZeros(~index) + 1;
        if (c > BITS) {
            throw new IllegalStateException("a Sobol sequence has at most 2^" + BITS + " points");
        }
        for (int j = 0; j < x.length; j++) {
            x[j] ^= directions[j][c];
        }
        index++;
        return point;
    }

    /** The next {@code n} points. */
    public double[][] next(int n) {
        double[][] points = new double[n][];
        for (int i = 0; i < n; i++) {
            points[i] = next();
        }
        return points;
    }

    /** Rows of the file after the first dimension: {s, a, m_1 … m_s}. Read once, on first use. */
    private static List<int[]> table() {
        List<int[]> rows = table;
        if (rows == null) {
            synchronized (Sobol.class) {
                rows = table;
                if (rows == null) {
                    rows = read();
                    table = rows;
                }
            }
        }
        return rows;
    }

    private static List<int[]> read() {
        try (InputStream in = Sobol.class.getResourceAsStream("new-joe-kuo-6.1000")) {
            if (in == null) {
                throw new IllegalStateException("the Sobol direction numbers (new-joe-kuo-6.1000) are missing from"
                        + " the class path");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            List<int[]> rows = new ArrayList<>(MAX_DIMENSION - 1);
            reader.readLine();
            for (String line; (line = reader.readLine()) != null; ) {
                String[] f = line.trim().split("\\s+");
                if (f.length < 4) {
                    continue;
                }
                int s = Integer.parseInt(f[1]);
                int[] row = new int[2 + s];
                row[0] = s;
                row[1] = Integer.parseInt(f[2]);
                for (int k = 0; k < s; k++) {
                    row[2 + k] = Integer.parseInt(f[3 + k]);
                }
                rows.add(row);
            }
            return List.copyOf(rows);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
