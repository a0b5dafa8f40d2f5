package dev.starling.optimize;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A benchmark problem with a known optimum: a search space and an objective to minimize under the outcome {@code y}.
 * {@link #named} reads the names the command line takes: {@code branin}, {@code hartmann3}, {@code hartmann6},
 * {@code rosenbrock<d>} and {@code ackley<d>} (e.g. {@code ackley10}). Immutable and thread-safe.
 *
 * @param name      the problem's name
 * @param space     its search space, parameters {@code x1 … xd}
 * @param objective its objective, returning {@code y}
 * @param optimum   the minimum of {@code y}
 */
public record Problem(String name, SearchSpace space, Objective objective, double optimum) {
    private static final Pattern SIZED = Pattern.compile("(rosenbrock|ackley)(\\d+)");

    /** The regret of {@code y}: how far it is above the optimum. */
    public double regret(double y) {
        return y - optimum;
    }

    /**
     * The problem called {@code name}.
     *
     * @throws IllegalArgumentException for an unknown name, listing the known ones
     */
    public static Problem named(String name) {
        String n = name.toLowerCase(Locale.ROOT).strip();
        Matcher sized = SIZED.matcher(n);
        if (sized.matches()) {
            int d = Integer.parseInt(sized.group(2));
            return sized.group(1).equals("ackley") ? ackley(d) : rosenbrock(d);
        }
        return switch (n) {
            case "branin" -> branin();
            case "hartmann3" -> hartmann3();
            case "hartmann6" -> hartmann6();
            default -> throw new IllegalArgumentException("unknown problem '" + name + "'; known: branin, hartmann3,"
                    + " hartmann6, rosenbrock<d>, ackley<d> (e.g. ackley10)");
        };
    }

    /** Branin on [-5, 10] × [0, 15]; minimum 0.397887 at three points. */
    public static Problem branin() {
        SearchSpace space = SearchSpace.builder().real("x1", -5, 10).real("x2", 0, 15).build();
        return new Problem("branin", space, config -> {
            double[] x = vector(config, 2);
            double b = 5.1 / (4 * Math.PI * Math.PI);
            double c = 5 / Math.PI;
            double t = 1 / (8 * Math.PI);
            double a = x[1] - b * x[0] * x[0] + c * x[0] - 6;
            return Map.of("y", a * a + 10 * (1 - t) * Math.cos(x[0]) + 10);
        }, 0.397887357729739);
    }

    private static final double[] ALPHA = {1.0, 1.2, 3.0, 3.2};
    private static final double[][] H3_A = {{3, 10, 30}, {0.1, 10, 35}, {3, 10, 30}, {0.1, 10, 35}};
    private static final double[][] H3_P = {{0.3689, 0.1170, 0.2673}, {0.4699, 0.4387, 0.7470},
        {0.1091, 0.8732, 0.5547}, {0.0381, 0.5743, 0.8828}};
    private static final double[][] H6_A = {{10, 3, 17, 3.5, 1.7, 8}, {0.05, 10, 17, 0.1, 8, 14},
        {3, 3.5, 1.7, 10, 17, 8}, {17, 8, 0.05, 10, 0.1, 14}};
    private static final double[][] H6_P = {{0.1312, 0.1696, 0.5569, 0.0124, 0.8283, 0.5886},
        {0.2329, 0.4135, 0.8307, 0.3736, 0.1004, 0.9991}, {0.2348, 0.1451, 0.3522, 0.2883, 0.3047, 0.6650},
        {0.4047, 0.8828, 0.8732, 0.5743, 0.1091, 0.0381}};

    /** Hartmann 3 on [0, 1]^3; minimum -3.86278. */
    public static Problem hartmann3() {
        return hartmann("hartmann3", H3_A, H3_P, -3.86278214782076);
    }

    /** Hartmann 6 on [0, 1]^6; minimum -3.32237. */
    public static Problem hartmann6() {
        return hartmann("hartmann6", H6_A, H6_P, -3.32236801141551);
    }

    private static Problem hartmann(String name, double[][] a, double[][] p, double optimum) {
        int d = a[0].length;
        return new Problem(name, cube(d, 0, 1), config -> {
            double[] x = vector(config, d);
            double sum = 0;
            for (int i = 0; i < 4; i++) {
                double inner = 0;
                for (int j = 0; j < d; j++) {
                    double diff = x[j] - p[i][j];
                    inner += a[i][j] * diff * diff;
                }
                sum += ALPHA[i] * Math.exp(-inner);
            }
            return Map.of("y", -sum);
        }, optimum);
    }

    /** Rosenbrock on [-5, 10]^d; minimum 0 at (1, …, 1). */
    public static Problem rosenbrock(int d) {
        if (d < 2) {
            throw new IllegalArgumentException("Rosenbrock needs at least 2 dimensions, was " + d);
        }
        return new Problem("rosenbrock" + d, cube(d, -5, 10), config -> {
            double[] x = vector(config, d);
            double sum = 0;
            for (int i = 0; i + 1 < d; i++) {
                double a = x[i + 1] - x[i] * x[i];
                double b = 1 - x[i];
                sum += 100 * a * a + b * b;
            }
            return Map.of("y", sum);
        }, 0);
    }

    /** Ackley on [-32.768, 32.768]^d; minimum 0 at the origin. */
    public static Problem ackley(int d) {
        if (d < 1) {
            throw new IllegalArgumentException("Ackley needs at least 1 dimension, was " + d);
        }
        return new Problem("ackley" + d, cube(d, -32.768, 32.768), config -> {
            double[] x = vector(config, d);
            double squares = 0;
            double cosines = 0;
            for (double v : x) {
                squares += v * v;
                cosines += Math.cos(2 * Math.PI * v);
            }
            return Map.of("y", -20 * Math.exp(-0.2 * Math.sqrt(squares / d)) - Math.exp(cosines / d) + 20 + Math.E);
        }, 0);
    }

    private static SearchSpace cube(int d, double lower, double upper) {
        SearchSpace.Builder builder = SearchSpace.builder();
        for (int i = 1; i <= d; i++) {
            builder.real("x" + i, lower, upper);
        }
        return builder.build();
    }

    private static double[] vector(Map<String, Object> config, int d) {
        double[] x = new double[d];
        for (int i = 0; i < d; i++) {
            Object v = config.get("x" + (i + 1));
            if (!(v instanceof Number number)) {
                throw new IllegalArgumentException("parameter x" + (i + 1) + " must be a number, was " + v);
            }
            x[i] = number.doubleValue();
        }
        return x;
    }
}
