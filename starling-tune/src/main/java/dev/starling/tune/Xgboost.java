package dev.starling.tune;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/**
 * Fits XGBoost's binary logistic booster on one split. Thread-safe: each fit owns its matrices, and a booster taken
 * from {@link Boosters} is the fit's alone until it is put back.
 */
final class Xgboost {
    /** The configuration key of the number of boosting rounds (XGBoost's own API takes it apart from the params). */
    static final String ROUNDS = "num_boost_round";

    private Xgboost() {
    }

    /**
     * Trains on the split's training rows and predicts its test rows. With {@code boosters}, a booster kept for this
     * configuration (its rounds aside) and fold with no more rounds is trained on from where it stopped, and the
     * booster is kept afterwards; otherwise training starts afresh and the booster is disposed.
     */
    static double[] fitPredict(Split split, Map<String, Object> config, long seed, Boosters boosters, int fold)
            throws XGBoostError {
        Map<String, Object> params = new HashMap<>(config);
        int rounds = Learner.rounds(params.remove(ROUNDS), ROUNDS);
        Map<String, Object> key = boosters == null ? null : Map.copyOf(params);
        params.put("objective", "binary:logistic");
        // One thread per evaluation: the workers are the parallelism. Two threads on a busy core ran 15x slower.
        params.put("nthread", 1);
        params.put("seed", seed);
        params.put("verbosity", 0);
        DMatrix train = null;
        DMatrix test = null;
        Booster booster = null;
        boolean kept = false;
        try {
            train = new DMatrix(split.trainX(), split.trainRows(), split.width(), Float.NaN);
            train.setLabel(split.trainY());
            Boosters.Trained earlier = boosters == null ? null : boosters.take(key, fold, rounds);
            if (earlier == null) {
                booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
            } else {
                booster = earlier.booster();
                for (int round = earlier.rounds(); round < rounds; round++) {
                    booster.update(train, round);
                }
            }
            test = new DMatrix(split.testX(), split.testRows(), split.width(), Float.NaN);
            float[][] predicted = booster.predict(test);
            double[] p = new double[predicted.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = predicted[i][0];
            }
            if (boosters != null) {
                boosters.put(key, fold, booster, rounds);
                kept = true;
            }
            return p;
        } finally {
            if (booster != null && !kept) {
                booster.dispose();
            }
            if (test != null) {
                test.dispose();
            }
            if (train != null) {
                train.dispose();
            }
        }
    }
}
