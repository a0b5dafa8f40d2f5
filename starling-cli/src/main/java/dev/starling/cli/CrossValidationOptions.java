package dev.starling.cli;

import dev.starling.tune.TuneObjective;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * What a cross-validated learner is built from, shared by {@code tune} and {@code cv} so that both score on the same
 * folds: the learner, the data and its target, the folds and their seed. A picocli mixin.
 */
final class CrossValidationOptions {
    @Parameters(index = "0", arity = "0..1", defaultValue = "xgboost", paramLabel = "LEARNER",
            description = "xgboost or lightgbm (default: ${DEFAULT-VALUE})")
    String learner;

    @Option(names = "--data", defaultValue = "credit-g",
            description = "a named data set (credit-g, diabetes, flights) or an .arff, .csv or .json file"
                    + " (default: ${DEFAULT-VALUE})")
    String data;

    @Option(names = "--target", description = "the label: COL (two levels), COL=LEVEL, COL>N or COL<N"
            + " (default: the named set's own; required for a file)")
    String target;

    @Option(names = "--folds", defaultValue = "10", description = "cross-validation folds (default: ${DEFAULT-VALUE})")
    int folds;

    @Option(names = "--fold-seed", defaultValue = "1",
            description = "seed of the folds and the learner, kept apart from --seed so that runs with other"
                    + " optimizer seeds score on the same folds (default: ${DEFAULT-VALUE})")
    long foldSeed;

    @Option(names = "--continue-training", description = "keep XGBoost's boosters, so that an evaluation of a"
            + " configuration already fitted with fewer rounds (a promotion of asha or hyperband, a pruner's next"
            + " rung) only trains the extra rounds; scores then vary slightly where the learner samples")
    boolean continueTraining;

    /**
     * The objective's settings; a data file is given by its absolute path, since worker processes may run elsewhere
     * in the file system.
     */
    TuneObjective.Settings settings() {
        String source = Files.exists(Path.of(data)) ? Path.of(data).toAbsolutePath().toString() : data;
        return new TuneObjective.Settings(learner, source, target, folds, foldSeed, continueTraining);
    }
}
