package dev.starling.optimize;

import com.fasterxml.jackson.databind.JsonNode;
import dev.starling.TaskState;
import dev.starling.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Recorded evaluations standing in for an expensive objective: a configuration is answered with the outcomes of the
 * nearest recorded configuration (Euclidean distance in the search space's unit cube), after the time that
 * evaluation took. It replays a measured run at a scale the machine could not evaluate for real: as an
 * {@link #objective() objective} that sleeps the recorded time, or in virtual time by
 * {@link Optimization#simulate(Replay)}. Immutable and thread-safe.
 */
public final class Replay {
    private final SearchSpace space;
    private final List<Evaluation> recorded;
    private final double[][] points;

    private Replay(SearchSpace space, List<Evaluation> recorded) {
        this.space = space;
        this.recorded = List.copyOf(recorded);
        this.points = new double[recorded.size()][];
        for (int i = 0; i < points.length; i++) {
            points[i] = space.encode(recorded.get(i).config());
        }
    }

    /**
     * A replay of {@code recorded}: its finished evaluations whose time is known. Evaluations of configurations that
     * are not of {@code space} are an error.
     *
     * @throws IllegalArgumentException when none of them finished with a known time, or a configuration is not of
     *                                  {@code space}
     */
    public static Replay of(SearchSpace space, List<Evaluation> recorded) {
        Objects.requireNonNull(space, "space");
        List<Evaluation> usable = recorded.stream()
                .filter(e -> e.state() == TaskState.FINISHED && !Double.isNaN(e.seconds()) && !e.outcomes().isEmpty())
                .toList();
        if (usable.isEmpty()) {
            throw new IllegalArgumentException("nothing to replay: none of the " + recorded.size()
                    + " evaluations finished with a recorded time");
        }
        return new Replay(space, usable);
    }

    /**
     * A replay of the evaluations in JSON-lines files, as {@code --jsonl} writes them (and
     * {@link EvaluationArchive#writeJsonLines} does): one object per line with {@code state}, {@code config},
     * {@code outcomes} and {@code seconds}. Lines of failed evaluations are skipped.
     *
     * @throws IllegalArgumentException naming the file and line, when a line is not such an object or its
     *                                  configuration is not of {@code space}
     * @throws UncheckedIOException     when a file cannot be read
     */
    public static Replay read(SearchSpace space, List<Path> files) {
        List<Evaluation> all = new ArrayList<>();
        for (Path file : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(file);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the evaluations to replay from " + file + ": " + e, e);
            }
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).isBlank()) {
                    continue;
                }
                String where = file + " line " + (i + 1);
                Evaluation e = parse(lines.get(i), all.size() + 1, where);
                if (e.state() == TaskState.FINISHED) {
                    try {
                        space.encode(e.config());
                    } catch (IllegalArgumentException wrongSpace) {
                        throw new IllegalArgumentException(where + ": " + wrongSpace.getMessage()
                                + "; replay evaluations recorded with this search space", wrongSpace);
                    }
                }
                all.add(e);
            }
        }
        return of(space, all);
    }

    private static Evaluation parse(String line, long id, String where) {
        JsonNode node;
        try {
            node = Json.mapper().readTree(line);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(where + " is not JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isObject() || !node.path("config").isObject() || !node.path("state").isTextual()) {
            throw new IllegalArgumentException(where + " is not an evaluation: it needs \"state\", \"config\","
                    + " \"outcomes\" and \"seconds\", as --jsonl writes them");
        }
        TaskState state;
        try {
            state = TaskState.valueOf(node.get("state").asText());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + " has an unknown state '" + node.get("state").asText() + "'",
                    e);
        }
        Map<String, Object> config = Json.mapper().convertValue(node.get("config"), Json.MAP);
        Map<String, Double> outcomes = new LinkedHashMap<>();
        node.path("outcomes").properties().forEach(o -> {
            if (o.getValue().isNumber()) {
                outcomes.put(o.getKey(), o.getValue().asDouble());
            }
        });
        double seconds = node.path("seconds").isNumber() ? node.get("seconds").asDouble() : Double.NaN;
        return new Evaluation(id, config, outcomes, Map.of(), state, null, null, null, null, seconds, null);
    }

    /** How many recorded evaluations it replays. */
    public int size() {
        return recorded.size();
    }

    /** The recorded evaluations it replays. */
    public List<Evaluation> recorded() {
        return recorded;
    }

    /** The recorded evaluation nearest to {@code config}; ties go to the one recorded first. */
    public Evaluation nearest(Map<String, Object> config) {
        double[] x = space.encode(config);
        int best = 0;
        double bestDistance = Double.POSITIVE_INFINITY;
        for (int i = 0; i < points.length; i++) {
            double d = 0;
            for (int j = 0; j < x.length && d < bestDistance; j++) {
                double delta = x[j] - points[i][j];
                d += delta * delta;
            }
            if (d < bestDistance) {
                bestDistance = d;
                best = i;
            }
        }
        return recorded.get(best);
    }

    /**
     * An objective that answers each configuration with the nearest recorded outcomes, after sleeping the time that
     * evaluation took. The sleep holds no core, so many workers replay at once.
     */
    public Objective objective() {
        return config -> {
            Evaluation e = nearest(config);
            Thread.sleep(Duration.ofNanos(Math.round(e.seconds() * 1e9)));
            return e.outcomes();
        };
    }
}
