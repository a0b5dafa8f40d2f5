package dev.starling.optimize;

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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.random.RandomGenerator;

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
                    raws[k] = parameters.get(p).raw(when.get().values().get(k), "the condition of '"
                            + parameters.get(i).name() + "'");
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
        return SearchSpaceJson.read(json);
    }

    /** This space as JSON, in the format {@link #fromJson} reads. */
    public String toJson() {
        return SearchSpaceJson.write(this);
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
            Parameter p = parameters.get(i);
            raw[i] = rawAt(p, unit[i]);
            config.put(p.name(), p.value(raw[i]));
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
                    : parameters.get(parent[i]).rawOfEncoded(encoded[parent[i]]))) {
                encoded[i] = INACTIVE;
            } else {
                Parameter p = parameters.get(i);
                encoded[i] = p.encode(rawAt(p, unit[i]));
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
            raw[i] = parameters.get(i).raw(value, "configuration " + config);
            canonical.put(name, parameters.get(i).value(raw[i]));
        }
        return Collections.unmodifiableMap(canonical);
    }

    /** The configuration as a point of the unit cube for a surrogate; inactive parameters are {@link #INACTIVE}. */
    public double[] encode(Map<String, ?> config) {
        Map<String, Object> canonical = validate(config);
        double[] encoded = new double[dimension()];
        for (int i = 0; i < encoded.length; i++) {
            Parameter p = parameters.get(i);
            Object value = canonical.get(p.name());
            encoded[i] = value == null ? INACTIVE : p.encode(p.raw(value, ""));
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

    /** The raw value (see {@link Parameter}) of parameter p at coordinate u of a unit point, clamped to [0, 1]. */
    private static double rawAt(Parameter p, double u) {
        return p.rawAt(Math.min(Math.max(u, 0), 1));
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
