package dev.starling.tune;

import static com.microsoft.ml.lightgbm.lightgbmlib.*;

import com.microsoft.ml.lightgbm.SWIGTYPE_p_double;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_float;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_int;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_long_long;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_p_void;
import com.microsoft.ml.lightgbm.SWIGTYPE_p_void;
import com.microsoft.ml.lightgbm.lightgbmlibConstants;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;

/**
 * Fits LightGBM's binary objective on one split, through the SWIG API of {@code lightgbmlib}. That jar has no loader:
 * its two native libraries are copied out of it once per JVM and loaded, {@code lib_lightgbm.so} before
 * {@code lib_lightgbm_swig.so}, which links against it. Thread-safe: each fit owns its dataset and booster.
 */
final class Lightgbm {
    /** The configuration key of the number of boosting rounds. */
    static final String ROUNDS = "num_iterations";
    private static final String NATIVE = "com/microsoft/ml/lightgbm/linux/x86_64/";
    private static volatile boolean loaded;

    private Lightgbm() {
    }

    /** Loads the native libraries once. */
    static void load() {
        if (loaded) {
            return;
        }
        synchronized (Lightgbm.class) {
            if (loaded) {
                return;
            }
            String os = System.getProperty("os.name").toLowerCase(Locale.ROOT);
            String arch = System.getProperty("os.arch");
            if (!os.contains("linux") || !(arch.equals("amd64") || arch.equals("x86_64"))) {
                throw new LearnerException("lightgbmlib " + "ships native libraries for linux x86_64 only; this is "
                        + os + " " + arch + "; use --learner xgboost");
            }
            try {
                Path dir = Files.createTempDirectory("starling-lightgbm");
                dir.toFile().deleteOnExit();
                for (String name : new String[] {"lib_lightgbm.so", "lib_lightgbm_swig.so"}) {
                    Path file = dir.resolve(name);
                    try (InputStream in = Lightgbm.class.getClassLoader().getResourceAsStream(NATIVE + name)) {
                        if (in == null) {
                            throw new LearnerException("lightgbmlib's jar lacks " + NATIVE + name
                                    + "; put com.microsoft.ml.lightgbm:lightgbmlib:3.3.510 on the class path");
                        }
                        Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    }
                    file.toFile().deleteOnExit();
                    System.load(file.toAbsolutePath().toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot copy LightGBM's native libraries to a temporary directory", e);
            }
            loaded = true;
        }
    }

    static double[] fitPredict(Split split, Map<String, Object> config, long seed) {
        load();
        Map<String, Object> settings = new java.util.LinkedHashMap<>(config);
        int rounds = Learner.rounds(settings.remove(ROUNDS), ROUNDS);
        String params = parameters(settings, seed);
        SWIGTYPE_p_float trainX = floats(split.trainX());
        SWIGTYPE_p_float trainY = floats(split.trainY());
        SWIGTYPE_p_float testX = floats(split.testX());
        SWIGTYPE_p_p_void datasetOut = new_voidpp();
        SWIGTYPE_p_p_void boosterOut = new_voidpp();
        SWIGTYPE_p_int finished = new_intp();
        SWIGTYPE_p_long_long length = new_int64_tp();
        SWIGTYPE_p_double predicted = new_doubleArray(split.testRows());
        SWIGTYPE_p_void dataset = null;
        SWIGTYPE_p_void booster = null;
        try {
            check(LGBM_DatasetCreateFromMat(float_to_voidp_ptr(trainX), lightgbmlibConstants.C_API_DTYPE_FLOAT32,
                    split.trainRows(), split.width(), 1, params, null, datasetOut), "creating the training set");
            dataset = voidpp_value(datasetOut);
            check(LGBM_DatasetSetField(dataset, "label", float_to_voidp_ptr(trainY), split.trainRows(),
                    lightgbmlibConstants.C_API_DTYPE_FLOAT32), "setting the labels");
            check(LGBM_BoosterCreate(dataset, params, boosterOut), "creating the booster");
            booster = voidpp_value(boosterOut);
            for (int r = 0; r < rounds; r++) {
                check(LGBM_BoosterUpdateOneIter(booster, finished), "boosting round " + (r + 1));
                if (intp_value(finished) == 1) {
                    break; // no split gains anything any more
                }
            }
            check(LGBM_BoosterPredictForMat(booster, float_to_voidp_ptr(testX),
                    lightgbmlibConstants.C_API_DTYPE_FLOAT32, split.testRows(), split.width(), 1,
                    lightgbmlibConstants.C_API_PREDICT_NORMAL, 0, -1, params, length, predicted), "predicting");
            double[] p = new double[split.testRows()];
            for (int i = 0; i < p.length; i++) {
                p[i] = doubleArray_getitem(predicted, i);
            }
            return p;
        } finally {
            if (booster != null) {
                LGBM_BoosterFree(booster);
            }
            if (dataset != null) {
                LGBM_DatasetFree(dataset);
            }
            delete_floatArray(trainX);
            delete_floatArray(trainY);
            delete_floatArray(testX);
            delete_doubleArray(predicted);
            delete_voidpp(datasetOut);
            delete_voidpp(boosterOut);
            delete_intp(finished);
            delete_int64_tp(length);
        }
    }

    /** LightGBM's parameter string: the configuration plus the settings Starling fixes. */
    private static String parameters(Map<String, Object> config, long seed) {
        StringJoiner params = new StringJoiner(" ");
        params.add("objective=binary");
        // One thread per evaluation, deterministic: the workers are the parallelism.
        params.add("num_threads=1").add("deterministic=true").add("force_row_wise=true").add("verbose=-1");
        params.add("seed=" + seed);
        if (config.get("bagging_fraction") instanceof Number f && f.doubleValue() < 1
                && !config.containsKey("bagging_freq")) {
            params.add("bagging_freq=1"); // bagging_fraction does nothing without it
        }
        config.forEach((k, v) -> params.add(k + "=" + v));
        return params.toString();
    }

    private static SWIGTYPE_p_float floats(float[] values) {
        SWIGTYPE_p_float array = new_floatArray(values.length);
        for (int i = 0; i < values.length; i++) {
            floatArray_setitem(array, i, values[i]);
        }
        return array;
    }

    private static void check(int code, String what) {
        if (code != 0) {
            throw new LearnerException("LightGBM failed " + what + ": " + LGBM_GetLastError());
        }
    }
}
