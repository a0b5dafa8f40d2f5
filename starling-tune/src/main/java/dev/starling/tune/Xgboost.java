package dev.starling.tune;

import java.util.HashMap;
import java.util.Map;
import ml.dmlc.xgboost4j.java.Booster;
import ml.dmlc.xgboost4j.java.DMatrix;
import ml.dmlc.xgboost4j.java.XGBoost;
import ml.dmlc.xgboost4j.java.XGBoostError;

/** Fits XGBoost's binary logistic booster on one split. Stateless and thread-safe (each fit owns its matrices). */
final class Xgboost {
    /** The configuration key of the number of boosting rounds (XGBoost's own API takes it apart from the params). */
    static final String ROUNDS = "num_boost_round";

    private Xgboost() {
    }

    static double[] fitPredict(Split split, Map<String, Object> config, long seed) throws XGBoostError {
        Map<String, Object> params = new HashMap<>(config);
        int rounds = Learner.rounds(params.remove(ROUNDS), ROUNDS);
        params.put("objective", "binary:logistic");
        // One thread per evaluation: the workers are the parallelism. Two threads on a busy core ran 15x slower.
        params.put("nthread", 1);
        params.put("seed", seed);
        params.put("verbosity", 0);
        DMatrix train = null;
        DMatrix test = null;
        Booster booster = null;
        try {
            train = new DMatrix(split.trainX(), split.trainRows(), split.width(), Float.NaN);
            train.setLabel(split.trainY());
            booster = XGBoost.train(train, params, rounds, Map.of(), null, null);
            test = new DMatrix(split.testX(), split.testRows(), split.width(), Float.NaN);
            float[][] predicted = booster.predict(test);
            double[] p = new double[predicted.length];
            for (int i = 0; i < p.length; i++) {
                p[i] = predicted[i][0];
            }
            return p;
        } finally {
            if (booster != null) {
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
