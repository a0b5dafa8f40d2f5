package dev.starling.algorithms;

/** Small dense vector operations the framework's helpers share. Stateless. */
final class Vectors {
    private Vectors() {
    }

    /** {@code target += scale * x}. */
    static void add(double[] target, double[] x, double scale) {
        for (int j = 0; j < target.length; j++) {
            target[j] += scale * x[j];
        }
    }

    /** Fails unless an answer has the length of the first one. */
    static void checkLength(double[] answer, int length, int worker) {
        if (answer.length != length) {
            throw new IllegalArgumentException("answers must all have one length: " + length + " before, "
                    + answer.length + (worker >= 0 ? " from worker " + worker : " now"));
        }
    }
}
