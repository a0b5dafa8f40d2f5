package dev.starling.optimize;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.starling.internal.Json;
import dev.starling.optimize.Parameter.Bool;
import dev.starling.optimize.Parameter.Categorical;
import dev.starling.optimize.Parameter.Condition;
import dev.starling.optimize.Parameter.Int;
import dev.starling.optimize.Parameter.Real;
import dev.starling.optimize.internal.Sobol;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.random.RandomGenerator;
import java.util.regex.Pattern;

/**
 * The parameters an optimizer searches over, and the conversions between configurations and numeric vectors.
 *
 * <p>A <em>configuration</em> is a map from the names of the active parameters to their values: {@code Double} for
 * real, {@code Integer} for integer, {@code String} for categorical and {@code Boolean} for boolean parameters. A
 * parameter with a condition is active only when its parent is active and has one of the condition's values;
 * inactive parameters are absent from a configuration.
 *
 * <p>For designs and samplers each parameter maps the unit interval onto its values ({@link #decode}); for surrogate
 * models a configuration becomes a point of the unit cube with one coordinate per parameter ({@link #encode}):
 * reals scaled to [0, 1] (in log space for log-scale ones), integers and categories at the centres of equal cells,
 * and {@link #INACTIVE} (below every active value, so that a tree can split it off) for inactive parameters.
 *
 * <p>Immutable and thread-safe.
 */
public final class SearchSpace {
    /** The coordinate of an inactive parameter in an encoded configuration. */
    public static final double INACTIVE = -1;
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

    private final List<Parameter> parameters;
    private final Map<String, Integer> index;
    /** For each parameter, the index of its parent, or -1. */
    private final int[] parent;
    /** For each conditional parameter, the parent's raw values that activate it. */
    private final double[][] activating;

    private SearchSpace(List<Parameter> ordered) {
        this.parameters = List.copyOf(ordered);
        this.index = new HashMap<>();
        for (int i = 0; i < parameters.size(); i++) {
            index.put(parameters.get(i).name(), i);
        }
        this.parent = new int[parameters.size()];
        this.activating = new double[parameters.size()][];
        for (int i = 0; i < parameters.size(); i++) {
            Optional<Condition> when = parameters.get(i).when();
            parent[i] = -1;
            if (when.isPresent()) {
                int p = index.get(when.get().parent());
                parent[i] = p;
                double[] raws = new double[when.get().values().size()];
                for (int k = 0; k < raws.length; k++) {
                    raws[k] = raw(p, when.get().values().get(k), "the condition of '" + parameters.get(i).name()
                            + "'");
                }
                activating[i] = raws;
            }
        }
    }

    /** A builder for a space; parameters keep the order in which they are added. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Reads a space from JSON: an object mapping each parameter's name to its description, e.g.
     * <pre>{@code
     * {"x1": {"type": "real", "lower": -5, "upper": 10},
     *  "lr": {"type": "real", "lower": 1e-5, "upper": 0.1, "log": true},
     *  "depth": {"type": "int", "lower": 2, "upper": 12},
     *  "booster": {"type": "categorical", "values": ["gbtree", "dart"]},
     *  "rate": {"type": "real", "lower": 0, "upper": 1, "when": {"booster": ["dart"]}}}
     * }</pre>
     * Types: {@code real}, {@code int}, {@code categorical}, {@code bool}.
     *
     * @throws IllegalArgumentException naming the parameter and what is wrong with it
     */
    public static SearchSpace fromJson(String json) {
        JsonNode root;
        try {
            root = Json.mapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("the search space is not valid JSON: " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject() || root.isEmpty()) {
            throw new IllegalArgumentException("the search space must be a JSON object with one entry per"
                    + " parameter, e.g. {\"x\": {\"type\": \"real\", \"lower\": 0, \"upper\": 1}}");
        }
        Builder builder = builder();
        for (Map.Entry<String, JsonNode> entry : root.properties()) {
            builder.add(parameter(entry.getKey(), entry.getValue()));
        }
        return builder.build();
    }

    private static Parameter parameter(String name, JsonNode spec) {
        String where = "parameter '" + name + "'";
        if (!spec.isObject()) {
            throw new IllegalArgumentException(where + " must be an object with a \"type\"");
        }
        for (Iterator<String> it = spec.fieldNames(); it.hasNext(); ) {
            String field = it.next();
            if (!List.of("type", "lower", "upper", "log", "values", "when").contains(field)) {
                throw new IllegalArgumentException(where + " has an unknown field \"" + field + "\"; known fields:"
                        + " type, lower, upper, log, values, when");
            }
        }
        String type = spec.path("type").asText("");
        Optional<Condition> when = condition(where, spec.get("when"));
        return switch (type) {
            case "real", "float", "double" -> new Real(name, number(where, spec, "lower"), number(where, spec, "upper"),
                    spec.path("log").asBoolean(false), when);
            case "int", "integer" -> new Int(name, integer(where, spec, "lower"), integer(where, spec, "upper"), when);
            case "categorical" -> {
                JsonNode values = spec.get("values");
                if (values == null || !values.isArray()) {
                    throw new IllegalArgumentException(where + " needs \"values\": a list of strings");
                }
                List<String> list = new ArrayList<>();
                values.forEach(v -> list.add(v.asText()));
                yield new Categorical(name, list, when);
            }
            case "bool", "boolean" -> new Bool(name, when);
            default -> throw new IllegalArgumentException(where + " has type \"" + type + "\"; use one of real, int,"
                    + " categorical, bool");
        };
    }

    private static double number(String where, JsonNode spec, String field) {
        JsonNode v = spec.get(field);
        if (v == null || !v.isNumber()) {
            throw new IllegalArgumentException(where + " needs a number \"" + field + "\"");
        }
        return v.doubleValue();
    }

    private static int integer(String where, JsonNode spec, String field) {
        JsonNode v = spec.get(field);
        if (v == null || !v.canConvertToInt() || v.doubleValue() != Math.rint(v.doubleValue())) {
            throw new IllegalArgumentException(where + " needs an integer \"" + field + "\"");
        }
        return v.intValue();
    }

    private static Optional<Condition> condition(String where, JsonNode when) {
        if (when == null) {
            return Optional.empty();
        }
        if (!when.isObject() || when.size() != 1) {
            throw new IllegalArgumentException(where + ": \"when\" must name one parent parameter and its values,"
                    + " e.g. {\"booster\": [\"dart\"]}");
        }
        Map.Entry<String, JsonNode> entry = when.properties().iterator().next();
        List<Object> values = new ArrayList<>();
        JsonNode v = entry.getValue();
        for (JsonNode item : v.isArray() ? v : Json.mapper().createArrayNode().add(v)) {
            values.add(item.isBoolean() ? item.booleanValue() : item.isNumber() ? item.numberValue()
                    : item.asText());
        }
        return Optional.of(new Condition(entry.getKey(), values));
    }

    /** This space as JSON, in the format {@link #fromJson} reads. */
    public String toJson() {
        ObjectNode root = Json.mapper().createObjectNode();
        for (Parameter p : parameters) {
            ObjectNode spec = root.putObject(p.name());
            switch (p) {
                case Real r -> {
                    spec.put("type", "real").put("lower", r.lower()).put("upper", r.upper());
                    if (r.log()) {
                        spec.put("log", true);
                    }
                }
                case Int i -> spec.put("type", "int").put("lower", i.lower()).put("upper", i.upper());
                case Categorical c -> {
                    ArrayNode values = spec.put("type", "categorical").putArray("values");
                    c.values().forEach(values::add);
                }
                case Bool b -> spec.put("type", "bool");
            }
            p.when().ifPresent(c -> spec.putObject("when").set(c.parent(), Json.mapper().valueToTree(c.values())));
        }
        return root.toString();
    }

    static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("parameter names must be 1-64 letters, digits, '_', '.' or '-',"
                    + " starting with a letter or '_'; was '" + name + "'");
        }
    }

    /** The parameters, parents before the parameters that depend on them. */
    public List<Parameter> parameters() {
        return parameters;
    }

    /** The number of parameters. */
    public int dimension() {
        return parameters.size();
    }

    /** The parameter {@code name}. */
    public Parameter parameter(String name) {
        Integer i = index.get(name);
        if (i == null) {
            throw new IllegalArgumentException("unknown parameter '" + name + "'; the space has " + names());
        }
        return parameters.get(i);
    }

    private List<String> names() {
        return parameters.stream().map(Parameter::name).toList();
    }

    /** A configuration drawn uniformly (log-uniformly for log-scale reals) from the space. */
    public Map<String, Object> sample(RandomGenerator random) {
        double[] unit = new double[dimension()];
        for (int i = 0; i < unit.length; i++) {
            unit[i] = random.nextDouble();
        }
        return decode(unit);
    }

    /**
     * The first {@code n} points of a Sobol sequence, randomly shifted by {@code seed}, as configurations.
     *
     * @throws IllegalArgumentException beyond 1,000 parameters; use {@link #latinHypercube} there
     */
    public List<Map<String, Object>> sobol(int n, long seed) {
        Sobol sobol = new Sobol(dimension(), seed);
        List<Map<String, Object>> design = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            design.add(decode(sobol.next()));
        }
        return design;
    }

    /** A Latin hypercube of {@code n} configurations: each parameter's unit interval is cut into n strata, one each. */
    public List<Map<String, Object>> latinHypercube(int n, RandomGenerator random) {
        if (n < 1) {
            throw new IllegalArgumentException("a design needs at least 1 point, was " + n);
        }
        double[][] unit = new double[n][dimension()];
        int[] strata = new int[n];
        for (int j = 0; j < dimension(); j++) {
            for (int k = 0; k < n; k++) {
                strata[k] = k;
            }
            for (int k = n - 1; k > 0; k--) {
                int swap = random.nextInt(k + 1);
                int t = strata[k];
                strata[k] = strata[swap];
                strata[swap] = t;
            }
            for (int k = 0; k < n; k++) {
                unit[k][j] = (strata[k] + random.nextDouble()) / n;
            }
        }
        List<Map<String, Object>> design = new ArrayList<>(n);
        for (double[] u : unit) {
            design.add(decode(u));
        }
        return design;
    }

    /**
     * The configuration at a point of the unit cube: coordinate i picks parameter i's value (uniformly spread, in
     * log space for log-scale reals); parameters whose condition fails are left out.
     */
    public Map<String, Object> decode(double[] unit) {
        checkLength(unit);
        double[] raw = new double[dimension()];
        Map<String, Object> config = new LinkedHashMap<>();
        for (int i = 0; i < raw.length; i++) {
            if (!active(i, raw)) {
                raw[i] = Double.NaN;
                continue;
            }
            raw[i] = rawAt(i, unit[i]);
            config.put(parameters.get(i).name(), value(i, raw[i]));
        }
        return Collections.unmodifiableMap(config);
    }

    /**
     * Writes to {@code encoded} the encoding of {@code decode(unit)}, without building the configuration: the fast
     * path for scoring many random candidates.
     */
    void snap(double[] unit, double[] encoded) {
        for (int i = 0; i < encoded.length; i++) {
            if (parent[i] >= 0 && !activatedBy(i, encoded[parent[i]] == INACTIVE ? Double.NaN
                    : rawOfEncoded(parent[i], encoded[parent[i]]))) {
                encoded[i] = INACTIVE;
            } else {
                encoded[i] = encodeRaw(i, rawAt(i, unit[i]));
            }
        }
    }

    /**
     * Checks a configuration and returns it in canonical form (each value of its parameter's Java type, in parameter
     * order).
     *
     * @throws IllegalArgumentException for an unknown parameter, a value of the wrong type or out of range, a missing
     *                                  active parameter, or a value for an inactive one
     */
    public Map<String, Object> validate(Map<String, ?> config) {
        for (String name : config.keySet()) {
            if (!index.containsKey(name)) {
                throw new IllegalArgumentException("unknown parameter '" + name + "' in configuration " + config
                        + "; the space has " + names());
            }
        }
        double[] raw = new double[dimension()];
        Map<String, Object> canonical = new LinkedHashMap<>();
        for (int i = 0; i < raw.length; i++) {
            String name = parameters.get(i).name();
            Object value = config.get(name);
            if (!active(i, raw)) {
                raw[i] = Double.NaN;
                if (value != null) {
                    throw new IllegalArgumentException("parameter '" + name + "' is inactive in configuration "
                            + config + " (" + parameters.get(i).when().orElseThrow() + ") but has value " + value);
                }
                continue;
            }
            if (value == null) {
                throw new IllegalArgumentException("configuration " + config + " lacks active parameter '" + name
                        + "'");
            }
            raw[i] = raw(i, value, "configuration " + config);
            canonical.put(name, value(i, raw[i]));
        }
        return Collections.unmodifiableMap(canonical);
    }

    /** The configuration as a point of the unit cube for a surrogate; inactive parameters are {@link #INACTIVE}. */
    public double[] encode(Map<String, ?> config) {
        Map<String, Object> canonical = validate(config);
        double[] encoded = new double[dimension()];
        for (int i = 0; i < encoded.length; i++) {
            Object value = canonical.get(parameters.get(i).name());
            encoded[i] = value == null ? INACTIVE : encodeRaw(i, raw(i, value, ""));
        }
        return encoded;
    }

    private boolean active(int i, double[] raw) {
        return parent[i] < 0 || activatedBy(i, raw[parent[i]]);
    }

    private boolean activatedBy(int i, double parentRaw) {
        if (Double.isNaN(parentRaw)) {
            return false;
        }
        for (double v : activating[i]) {
            if (v == parentRaw) {
                return true;
            }
        }
        return false;
    }

    private void checkLength(double[] unit) {
        if (unit.length != dimension()) {
            throw new IllegalArgumentException("a point of this space has " + dimension() + " coordinates, was "
                    + unit.length);
        }
    }

    // A parameter's "raw" value is a double: the real or integer value, a category's index, 0 or 1 for booleans.

    private double rawAt(int i, double u) {
        u = Math.min(Math.max(u, 0), 1);
        return switch (parameters.get(i)) {
            case Real r -> r.log() ? Math.min(r.upper(), Math.max(r.lower(),
                    Math.exp(Math.log(r.lower()) + u * (Math.log(r.upper()) - Math.log(r.lower())))))
                    : Math.min(r.upper(), r.lower() + u * (r.upper() - r.lower()));
            case Int n -> n.lower() + Math.min((long) Math.floor(u * ((long) n.upper() - n.lower() + 1)),
                    (long) n.upper() - n.lower());
            case Categorical c -> Math.min(Math.floor(u * c.values().size()), c.values().size() - 1);
            case Bool b -> u >= 0.5 ? 1 : 0;
        };
    }

    private double encodeRaw(int i, double raw) {
        return switch (parameters.get(i)) {
            case Real r -> r.upper() == r.lower() ? 0.5 : r.log()
                    ? (Math.log(raw) - Math.log(r.lower())) / (Math.log(r.upper()) - Math.log(r.lower()))
                    : (raw - r.lower()) / (r.upper() - r.lower());
            case Int n -> (raw - n.lower() + 0.5) / ((double) n.upper() - n.lower() + 1);
            case Categorical c -> (raw + 0.5) / c.values().size();
            case Bool b -> raw == 1 ? 0.75 : 0.25;
        };
    }

    private double rawOfEncoded(int i, double encoded) {
        return switch (parameters.get(i)) {
            case Real r -> r.log() ? Math.exp(Math.log(r.lower()) + encoded * (Math.log(r.upper())
                    - Math.log(r.lower()))) : r.lower() + encoded * (r.upper() - r.lower());
            case Int n -> Math.rint(encoded * ((double) n.upper() - n.lower() + 1) - 0.5) + n.lower();
            case Categorical c -> Math.rint(encoded * c.values().size() - 0.5);
            case Bool b -> encoded > 0.5 ? 1 : 0;
        };
    }

    private Object value(int i, double raw) {
        return switch (parameters.get(i)) {
            case Real r -> raw;
            case Int n -> (int) raw;
            case Categorical c -> c.values().get((int) raw);
            case Bool b -> raw == 1;
        };
    }

    private double raw(int i, Object value, String where) {
        Parameter p = parameters.get(i);
        String problem = switch (p) {
            case Real r -> {
                if (!(value instanceof Number number)) {
                    yield "must be a number";
                }
                double v = number.doubleValue();
                yield v >= r.lower() && v <= r.upper() ? null : "must be in [" + r.lower() + ", " + r.upper() + "]";
            }
            case Int n -> {
                if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
                    yield "must be an integer";
                }
                double v = number.doubleValue();
                yield v >= n.lower() && v <= n.upper() ? null : "must be in [" + n.lower() + ", " + n.upper() + "]";
            }
            case Categorical c -> value instanceof String s && c.values().contains(s) ? null
                    : "must be one of " + c.values();
            case Bool b -> value instanceof Boolean ? null : "must be true or false";
        };
        if (problem != null) {
            throw new IllegalArgumentException("parameter '" + p.name() + "' " + problem + ", was " + describe(value)
                    + (where.isEmpty() ? "" : " in " + where));
        }
        return switch (p) {
            case Real r -> ((Number) value).doubleValue();
            case Int n -> ((Number) value).doubleValue();
            case Categorical c -> c.values().indexOf((String) value);
            case Bool b -> (Boolean) value ? 1 : 0;
        };
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : value + (value == null ? ""
                : " (" + value.getClass().getSimpleName() + ")");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SearchSpace other && parameters.equals(other.parameters);
    }

    @Override
    public int hashCode() {
        return parameters.hashCode();
    }

    @Override
    public String toString() {
        return toJson();
    }

    /** Builds a search space. Not thread-safe. */
    public static final class Builder {
        private final List<Parameter> parameters = new ArrayList<>();

        private Builder() {
        }

        /** Adds a real parameter in [lower, upper]. */
        public Builder real(String name, double lower, double upper) {
            return add(new Real(name, lower, upper, false, Optional.empty()));
        }

        /** Adds a real parameter in [lower, upper], searched on a log scale. */
        public Builder logReal(String name, double lower, double upper) {
            return add(new Real(name, lower, upper, true, Optional.empty()));
        }

        /** Adds an integer parameter in [lower, upper]. */
        public Builder integer(String name, int lower, int upper) {
            return add(new Int(name, lower, upper, Optional.empty()));
        }

        /** Adds a categorical parameter. */
        public Builder categorical(String name, String... values) {
            return add(new Categorical(name, Arrays.asList(values), Optional.empty()));
        }

        /** Adds a boolean parameter. */
        public Builder bool(String name) {
            return add(new Bool(name, Optional.empty()));
        }

        /**
         * Makes the parameter added last active only when {@code parent} has one of {@code values}.
         *
         * @throws IllegalStateException when no parameter was added yet
         */
        public Builder when(String parent, Object... values) {
            if (parameters.isEmpty()) {
                throw new IllegalStateException("add a parameter before giving it a condition");
            }
            Parameter last = parameters.removeLast();
            parameters.add(last.when(new Condition(parent, Arrays.asList(values))));
            return this;
        }

        /** Adds a parameter. */
        public Builder add(Parameter parameter) {
            parameters.add(parameter);
            return this;
        }

        /**
         * Builds the space, ordering parameters so that parents come before their dependents.
         *
         * @throws IllegalArgumentException for duplicate names, an unknown parent, a cycle of conditions, or a
         *                                  condition value the parent cannot take
         */
        public SearchSpace build() {
            if (parameters.isEmpty()) {
                throw new IllegalArgumentException("a search space needs at least one parameter");
            }
            Map<String, Parameter> byName = new LinkedHashMap<>();
            for (Parameter p : parameters) {
                if (byName.put(p.name(), p) != null) {
                    throw new IllegalArgumentException("parameter '" + p.name() + "' is defined twice");
                }
            }
            for (Parameter p : parameters) {
                p.when().ifPresent(c -> {
                    if (!byName.containsKey(c.parent())) {
                        throw new IllegalArgumentException("parameter '" + p.name() + "' depends on unknown parameter"
                                + " '" + c.parent() + "'; the space has " + byName.keySet());
                    }
                });
            }
            List<Parameter> ordered = new ArrayList<>();
            Map<String, Boolean> placed = new HashMap<>();
            for (Parameter p : parameters) {
                place(p, byName, placed, ordered, new ArrayList<>());
            }
            return new SearchSpace(ordered);
        }

        private static void place(Parameter p, Map<String, Parameter> byName, Map<String, Boolean> placed,
                                  List<Parameter> ordered, List<String> path) {
            if (Boolean.TRUE.equals(placed.get(p.name()))) {
                return;
            }
            if (path.contains(p.name())) {
                path.add(p.name());
                throw new IllegalArgumentException("the conditions of parameters form a cycle: "
                        + String.join(" -> ", path));
            }
            path.add(p.name());
            if (p.when().isPresent()) {
                place(byName.get(p.when().get().parent()), byName, placed, ordered, path);
            }
            placed.put(p.name(), true);
            ordered.add(p);
        }
    }
}
