package dev.starling.tune;

import dev.starling.optimize.Outcome;
import java.util.Arrays;
import java.util.Locale;

/**
 * A measure of a binary classifier's predicted probabilities against 0/1 labels. Each knows whether it is maximized,
 * and its name is the outcome it becomes in an optimization. Stateless and thread-safe.
 */
public enum Metric {
    /** The area under the ROC curve, with tied scores counted half (the Mann-Whitney statistic). Maximized. */
    AUC("auc", true),
    /** The mean negative log-likelihood, probabilities clipped to [1e-15, 1 - 1e-15]. Minimized. */
    LOG_LOSS("logloss", false),
    /** The share of rows whose probability is on the side of 0.5 of their label (0.5 counts as 1). Maximized. */
    ACCURACY("accuracy", true),
    /** One minus the accuracy. Minimized. */
    ERROR("error", false);

    private static final double CLIP = 1e-15;
    private final String label;
    private final boolean maximize;

    Metric(String label, boolean maximize) {
        this.label = label;
        this.maximize = maximize;
    }

    /** The metric's name on the command line and as an outcome: auc, logloss, accuracy or error. */
    public String label() {
        return label;
    }

    /** The outcome this metric becomes: named {@link #label()}, maximized or minimized as the metric is. */
    public Outcome outcome() {
        return maximize ? Outcome.maximize(label) : Outcome.minimize(label);
    }

    /**
     * The metric named {@code label} (any case), e.g. "auc".
     *
     * @throws IllegalArgumentException naming the known metrics
     */
    public static Metric named(String label) {
        for (Metric m : values()) {
            if (m.label.equals(label.toLowerCase(Locale.ROOT))) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown metric '" + label + "'; known: auc, logloss, accuracy, error");
    }

    /**
     * The metric of {@code probability} (of label 1) against {@code labels} (0 or 1).
     *
     * @throws IllegalArgumentException when the lengths differ or there are no rows; for AUC, when the labels are
     *                                  all of one class
     */
    public double of(double[] labels, double[] probability) {
        if (labels.length != probability.length || labels.length == 0) {
            throw new IllegalArgumentException("a metric needs as many probabilities as labels, and at least one;"
                    + " had " + probability.length + " and " + labels.length);
        }
        return switch (this) {
            case AUC -> auc(labels, probability);
            case LOG_LOSS -> logLoss(labels, probability);
            case ACCURACY -> 1 - errorRate(labels, probability);
            case ERROR -> errorRate(labels, probability);
        };
    }

    private static double errorRate(double[] labels, double[] p) {
        int wrong = 0;
        for (int i = 0; i < labels.length; i++) {
            if ((p[i] >= 0.5) != (labels[i] == 1)) {
                wrong++;
            }
        }
        return wrong / (double) labels.length;
    }

    private static double logLoss(double[] labels, double[] p) {
        double sum = 0;
        for (int i = 0; i < labels.length; i++) {
            double q = Math.min(1 - CLIP, Math.max(CLIP, p[i]));
            sum -= labels[i] == 1 ? Math.log(q) : Math.log(1 - q);
        }
        return sum / labels.length;
    }

    /** The rank-sum form: the mean rank of the positives, with ties given their average rank. */
    private static double auc(double[] labels, double[] p) {
        Integer[] order = new Integer[p.length];
        Arrays.setAll(order, i -> i);
        Arrays.sort(order, (a, b) -> Double.compare(p[a], p[b]));
        double positiveRanks = 0;
        long positives = 0;
        int i = 0;
        while (i < order.length) {
            int j = i;
            while (j + 1 < order.length && p[order[j + 1]] == p[order[i]]) {
                j++;
            }
            double rank = (i + j) / 2.0 + 1;
            for (int k = i; k <= j; k++) {
                if (labels[order[k]] == 1) {
                    positiveRanks += rank;
                    positives++;
                }
            }
            i = j + 1;
        }
        long negatives = labels.length - positives;
        if (positives == 0 || negatives == 0) {
            throw new IllegalArgumentException("AUC needs both classes among the labels; all " + labels.length
                    + " were " + (positives == 0 ? 0 : 1));
        }
        return (positiveRanks - positives * (positives + 1) / 2.0) / ((double) positives * negatives);
    }
}
