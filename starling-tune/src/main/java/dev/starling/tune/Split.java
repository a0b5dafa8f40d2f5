package dev.starling.tune;

/**
 * One fold's training and test rows, as the learners' native libraries take them: row-major {@code float}s, NaN for
 * missing. Immutable by convention: nothing writes the arrays after construction.
 *
 * @param width     features per row
 * @param trainX    training rows, row-major
 * @param trainY    training labels, 0 or 1
 * @param testX     test rows, row-major
 * @param testY     test labels, 0 or 1
 */
record Split(int width, float[] trainX, float[] trainY, float[] testX, double[] testY) {
    int trainRows() {
        return trainY.length;
    }

    int testRows() {
        return testY.length;
    }
}
