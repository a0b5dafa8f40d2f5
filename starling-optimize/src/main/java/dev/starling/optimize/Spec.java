package dev.starling.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starling.Network;
import dev.starling.StarlingException;
import dev.starling.internal.Classes;
import dev.starling.internal.Json;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Everything a worker needs to take part in an optimization, kept as a network attribute so that worker processes
 * on any machine read the same: space, outcomes, objective (as something a worker can rebuild: a named problem, a
 * command, or a class with its settings), delay, optimizer, terminator and the run's start. Immutable.
 *
 * @param pareto        whether every outcome is optimized (its Pareto front), not only the first
 * @param objective     the objective; null until {@link #resolve()}d in a worker that read the spec from the store
 * @param objectiveJson how a worker process rebuilds the objective
 */
record Spec(SearchSpace space, List<Outcome> outcomes, boolean pareto, Objective objective, ObjectNode objectiveJson,
            Duration delay, Optimizer optimizer, Terminator terminator, Instant started) {
    /** The network attribute that holds the spec. */
    static final String ATTRIBUTE = "optimization";

    /** The outcome that ranks evaluations and that optimizers optimize. */
    Outcome outcome() {
        return outcomes.getFirst();
    }

    /** The settings of the surrogate search (ADBO, or the centralized optimizer's), or empty for random search. */
    Optional<Optimizer.Surrogate> surrogate() {
        return switch (optimizer) {
            case Optimizer.SurrogateBased<?> based -> Optional.of(based.settings());
            case Optimizer.RandomSearch r -> Optional.empty();
            case Optimizer.SuccessiveHalving h -> Optional.empty();
        };
    }

    /**
     * The initial design, drawn as the optimizer's settings say (Sobol, Latin hypercube or uniform) from
     * {@code seed}, and no larger than the terminator's evaluation budget; empty for random search.
     */
    List<Map<String, Object>> initialDesign(long seed) {
        Optional<Optimizer.Surrogate> settings = surrogate();
        if (settings.isEmpty()) {
            return List.of();
        }
        int n = settings.get().initialDesignSize(space.dimension(), terminator.budget());
        return switch (settings.get().design()) {
            case LHS -> space.latinHypercube(n, new SplittableRandom(seed));
            case RANDOM -> {
                SplittableRandom random = new SplittableRandom(seed);
                List<Map<String, Object>> points = new ArrayList<>(n);
                for (int i = 0; i < n; i++) {
                    points.add(space.sample(random));
                }
                yield points;
            }
            case SOBOL -> space.sobol(n, seed);
        };
    }

    /** How a worker process can rebuild {@code objective}, or a description of an in-process one. */
    static ObjectNode describe(Objective objective, String problem) {
        ObjectNode node = Json.mapper().createObjectNode();
        Class<?> type = objective.getClass();
        if (problem != null) {
            node.put("problem", problem);
        } else if (objective instanceof CommandObjective command) {
            node.put("command", command.command()).put("timeout", command.timeout().toString());
        } else if (rebuildable(type) && objective instanceof Objective.Configured<?> configured) {
            node.put("class", type.getName()).set("settings", Json.mapper().valueToTree(configured.settings()));
        } else if (rebuildable(type) && hasPublicNoArgConstructor(type)) {
            node.put("class", type.getName());
        } else {
            node.put("inProcess", type.getName());
        }
        return node;
    }

    /** Whether a worker process can name {@code type}: public, top-level, neither hidden nor synthetic. */
    private static boolean rebuildable(Class<?> type) {
        return Modifier.isPublic(type.getModifiers()) && !type.isHidden() && !type.isSynthetic()
                && !type.isAnonymousClass() && type.getEnclosingClass() == null;
    }

    private static boolean hasPublicNoArgConstructor(Class<?> type) {
        try {
            return Modifier.isPublic(type.getConstructor().getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    /** Whether worker processes can rebuild the objective. */
    boolean portable() {
        return !objectiveJson.has("inProcess");
    }

    /** This spec with its objective rebuilt from {@link #objectiveJson}, as a worker process needs. */
    /** What worker processes must accept to rebuild this spec's objective (see {@code Controller#acceptInProcesses}). */
    List<String> accepted() {
        if (objectiveJson.has("command")) {
            return List.of("commands");
        }
        if (objectiveJson.has("class")) {
            return List.of(objectiveJson.get("class").asText());
        }
        return List.of();
    }

    Spec resolve() {
        if (objective != null) {
            return this;
        }
        Objective rebuilt;
        if (objectiveJson.has("problem")) {
            rebuilt = Problem.named(objectiveJson.get("problem").asText()).objective();
        } else if (objectiveJson.has("command")) {
            Classes.checkCommandNamedByStore(objectiveJson.get("command").asText());
            rebuilt = Objective.command(objectiveJson.get("command").asText(),
                    Duration.parse(objectiveJson.get("timeout").asText()));
        } else if (objectiveJson.has("class")) {
            Classes.checkNamedByStore(objectiveJson.get("class").asText(), "objective");
            rebuilt = Classes.instantiate(objectiveJson.get("class").asText(), Objective.class, "objective",
                    objectiveJson.get("settings"));
        } else {
            throw new StarlingException("the objective of this optimization (" + objectiveJson.path("inProcess")
                    .asText() + ") lives in the JVM that started it; worker processes need a named problem, a"
                    + " command, or a public objective class with a public no-argument constructor or an"
                    + " Objective.Configured one");
        }
        return new Spec(space, outcomes, pareto, rebuilt, objectiveJson, delay, optimizer, terminator, started);
    }

    /** Writes this spec to the network, for its workers. */
    void store(Network network) {
        network.setAttribute(ATTRIBUTE, toJson());
    }

    /**
     * Reads the spec of the optimization running on {@code network}.
     *
     * @throws StarlingException when no optimization was started on it
     */
    static Spec load(Network network) {
        String json = network.attribute(ATTRIBUTE).orElseThrow(() -> new StarlingException("network '"
                + network.name() + "' runs no optimization; start one with Optimization.on(network)…run() or"
                + " `starling optimize`"));
        return fromJson(json);
    }

    String toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        try {
            root.set("space", Json.mapper().readTree(space.toJson()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        ArrayNode outs = root.putArray("outcomes");
        outcomes.forEach(o -> outs.addObject().put("name", o.name()).put("maximize", o.maximize()));
        root.put("pareto", pareto);
        root.set("objective", objectiveJson);
        root.put("delay", delay.toString());
        root.set("optimizer", optimizer(optimizer));
        root.set("terminator", terminator(terminator));
        root.put("started", started.toString());
        return root.toString();
    }

    static Spec fromJson(String json) {
        try {
            JsonNode root = Json.mapper().readTree(json);
            SearchSpace space = SearchSpace.fromJson(root.get("space").toString());
            List<Outcome> outcomes = new ArrayList<>();
            root.get("outcomes").forEach(o -> outcomes.add(new Outcome(o.get("name").asText(),
                    o.get("maximize").asBoolean())));
            return new Spec(space, List.copyOf(outcomes), root.path("pareto").asBoolean(false), null,
                    (ObjectNode) root.get("objective"),
                    Duration.parse(root.get("delay").asText()), optimizer(root.get("optimizer")),
                    terminator(root.get("terminator")), Instant.parse(root.get("started").asText()));
        } catch (JsonProcessingException | RuntimeException e) {
            throw new StarlingException("the optimization kept in the network is unreadable (" + e + "); start it"
                    + " again with the same version of Starling", e);
        }
    }

    private static JsonNode optimizer(Optimizer optimizer) {
        ObjectNode node = Json.mapper().createObjectNode().put("name", optimizer.name());
        switch (optimizer) {
            case Optimizer.RandomSearch r -> { }
            case Optimizer.SuccessiveHalving h -> node.put("fidelity", h.fidelity()).put("eta", h.eta());
            case Optimizer.SurrogateBased<?> based ->
                    node.set("settings", Json.mapper().valueToTree(based.settings()));
        }
        return node;
    }

    private static Optimizer optimizer(JsonNode node) throws JsonProcessingException {
        return switch (node.get("name").asText()) {
            case "random" -> Optimizer.random();
            case "adbo" -> new Optimizer.Adbo(Json.mapper().treeToValue(node.get("settings"),
                    Optimizer.Surrogate.class));
            case "cbo" -> new Optimizer.Centralized(Json.mapper().treeToValue(node.get("settings"),
                    Optimizer.Surrogate.class));
            case "asha", "hyperband" -> new Optimizer.SuccessiveHalving(node.get("fidelity").asText(),
                    node.get("eta").asDouble(), node.get("name").asText().equals("hyperband"));
            default -> throw new IllegalArgumentException("unknown optimizer " + node);
        };
    }

    private static JsonNode terminator(Terminator terminator) {
        ObjectNode node = Json.mapper().createObjectNode();
        switch (terminator) {
            case Terminator.Evaluations e -> node.put("evaluations", e.n());
            case Terminator.RunTime t -> node.put("runTime", t.limit().toString());
            case Terminator.Target t -> node.put("target", t.value());
            case Terminator.Stagnation s -> node.putObject("stagnation").put("k", s.k()).put("epsilon", s.epsilon());
            case Terminator.AnyOf any -> {
                ArrayNode parts = node.putArray("any");
                any.terminators().forEach(t -> parts.add(terminator(t)));
            }
            case Terminator.AllOf all -> {
                ArrayNode parts = node.putArray("all");
                all.terminators().forEach(t -> parts.add(terminator(t)));
            }
        }
        return node;
    }

    private static Terminator terminator(JsonNode node) {
        if (node.has("evaluations")) {
            return Terminator.evaluations(node.get("evaluations").asLong());
        } else if (node.has("runTime")) {
            return Terminator.runTime(Duration.parse(node.get("runTime").asText()));
        } else if (node.has("target")) {
            return Terminator.target(node.get("target").asDouble());
        } else if (node.has("stagnation")) {
            return Terminator.stagnation(node.get("stagnation").get("k").asInt(),
                    node.get("stagnation").get("epsilon").asDouble());
        }
        List<Terminator> parts = new ArrayList<>();
        boolean any = node.has("any");
        node.get(any ? "any" : "all").forEach(t -> parts.add(terminator(t)));
        return any ? new Terminator.AnyOf(parts) : new Terminator.AllOf(parts);
    }
}
