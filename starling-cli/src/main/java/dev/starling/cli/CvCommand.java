package dev.starling.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.starling.internal.Json;
import dev.starling.tune.TuneObjective;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Cross-validates configurations of a learner, outside any optimization: one given on the command line, or one per
 * line of standard input, each answered by one line of outcomes. The second form lets another tool (Optuna, a
 * script) score configurations on exactly the folds {@code starling tune} uses, paying the start-up once.
 */
@Command(name = "cv", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Cross-validates XGBoost or LightGBM configurations, given as JSON objects of the learner's"
                + " parameters: the one of --config, or else one per line of standard input, each answered on"
                + " standard output by one line, a JSON object of outcomes (auc, logloss, accuracy, error, time and"
                + " the per-fold values), or {\"failed\": \"why\"} for a configuration the learner rejects.",
            "The folds are those of starling tune with the same --data, --target, --folds and --fold-seed."})
final class CvCommand implements Callable<Integer> {
    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @CommandLine.Mixin
    private CrossValidationOptions validation;

    @Option(names = "--config", description = "the configuration, a JSON object, e.g. '{\"eta\": 0.1}'; the"
            + " learner's defaults fill what it leaves out (default: read one per line of standard input)")
    private String config;

    @Override
    public Integer call() throws IOException {
        TuneObjective objective;
        try {
            objective = new TuneObjective(validation.settings());
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage());
        }
        PrintWriter out = spec.commandLine().getOut();
        if (config != null) {
            Map<String, Object> answer = answer(objective, config);
            out.println(Json.mapper().writeValueAsString(answer));
            out.flush();
            if (answer.containsKey("failed")) {
                spec.commandLine().getErr().println("starling: " + answer.get("failed"));
                return 1;
            }
            return 0;
        }
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            out.println(Json.mapper().writeValueAsString(answer(objective, line)));
            out.flush();
        }
        return 0;
    }

    /** The outcomes of the configuration in {@code json}, or a map holding only {@code failed}, the reason. */
    private static Map<String, Object> answer(TuneObjective objective, String json) {
        Map<String, Object> parsed;
        try {
            parsed = Json.mapper().readValue(json, Json.MAP);
        } catch (JsonProcessingException e) {
            return Map.of("failed", "not a JSON object of parameters: " + e.getOriginalMessage());
        }
        Map<String, Object> configuration = new LinkedHashMap<>(objective.learner().defaults());
        configuration.putAll(parsed);
        try {
            objective.learner().check(parsed.keySet());
            return objective.evaluate(configuration);
        } catch (IllegalArgumentException e) {
            return Map.of("failed", e.getMessage());
        } catch (Exception e) {
            return Map.of("failed", e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }
}
