package dev.starling.algorithms.linear;

import java.util.Locale;

/** The loss of a linear model on one sample, as a function of the margin {@code z = x·w} and the label. */
public enum Loss {
    /** Least squares: ½ (z − y)². */
    SQUARED("lsq", 1) {
        @Override
        public double value(double z, double y) {
            return 0.5 * (z - y) * (z - y);
        }

        @Override
        public double derivative(double z, double y) {
            return z - y;
        }

        @Override
        public double curvature(double z) {
            return 1;
        }
    },
    /** Logistic regression with labels 0 and 1: log(1 + eᶻ) − y z. */
    LOGISTIC("logreg", 0.25) {
        @Override
        public double value(double z, double y) {
            // log(1 + e^z) without overflow.
            return (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y * z;
        }

        @Override
        public double derivative(double z, double y) {
            return sigmoid(z) - y;
        }

        @Override
        public double curvature(double z) {
            double s = sigmoid(z);
            return s * (1 - s);
        }

        private static double sigmoid(double z) {
            return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
        }
    };

    private final String key;
    private final double smoothness;

    Loss(String key, double smoothness) {
        this.key = key;
        this.smoothness = smoothness;
    }

    /** The loss at margin {@code z} for label {@code y}. */
    public abstract double value(double z, double y);

    /** Its derivative in {@code z}. */
    public abstract double derivative(double z, double y);

    /** Its second derivative in {@code z}. */
    public abstract double curvature(double z);

    /** An upper bound of {@link #curvature}: 1 for least squares, ¼ for logistic. */
    public double smoothness() {
        return smoothness;
    }

    /** Its command-line name: {@code lsq} or {@code logreg}. */
    public String key() {
        return key;
    }

    /**
     * The loss named {@code lsq} or {@code logreg}.
     *
     * @throws IllegalArgumentException naming the accepted names
     */
    public static Loss parse(String name) {
        for (Loss l : values()) {
            if (l.key.equals(name.trim().toLowerCase(Locale.ROOT))) {
                return l;
            }
        }
        throw new IllegalArgumentException("a loss is lsq or logreg, was '" + name + "'");
    }
}
