package dev.starling.optimize;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One dimension of a {@link SearchSpace}: a real, integer, categorical or boolean parameter, optionally active only
 * when another parameter has one of given values. Parameters are immutable values; build them through
 * {@link SearchSpace.Builder}.
 */
public sealed interface Parameter {

    /** The parameter's name, unique in its space. */
    String name();

    /** The condition under which it is active, or empty when it is always active. */
    Optional<Condition> when();

    /** The parameter with condition {@code when}. */
    Parameter when(Condition when);

    /**
     * Active only when parameter {@code parent} is active and has one of {@code values}.
     *
     * @param parent the controlling parameter
     * @param values its values that activate the dependent parameter (strings for categorical, booleans, numbers)
     */
    record Condition(String parent, List<Object> values) {
        public Condition {
            Objects.requireNonNull(parent, "parent");
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("a condition on '" + parent + "' needs at least one value");
            }
            values = List.copyOf(values);
        }
    }

    /**
     * A real parameter in [lower, upper], sampled uniformly or, with {@code log}, log-uniformly.
     */
    record Real(String name, double lower, double upper, boolean log, Optional<Condition> when)
            implements Parameter {
        public Real {
            SearchSpace.checkName(name);
            if (!Double.isFinite(lower) || !Double.isFinite(upper)) {
                throw new IllegalArgumentException("parameter '" + name + "': bounds must be finite, were ["
                        + lower + ", " + upper + "]");
            }
            if (lower > upper) {
                throw new IllegalArgumentException("parameter '" + name + "': lower bound " + lower
                        + " is greater than upper bound " + upper);
            }
            if (log && lower <= 0) {
                throw new IllegalArgumentException("parameter '" + name + "': a log-scale parameter needs a"
                        + " positive lower bound, was " + lower);
            }
            Objects.requireNonNull(when, "when");
        }

        @Override
        public Real when(Condition when) {
            return new Real(name, lower, upper, log, Optional.of(when));
        }
    }

    /** An integer parameter in [lower, upper], both included. */
    record Int(String name, int lower, int upper, Optional<Condition> when) implements Parameter {
        public Int {
            SearchSpace.checkName(name);
            if (lower > upper) {
                throw new IllegalArgumentException("parameter '" + name + "': lower bound " + lower
                        + " is greater than upper bound " + upper);
            }
            Objects.requireNonNull(when, "when");
        }

        @Override
        public Int when(Condition when) {
            return new Int(name, lower, upper, Optional.of(when));
        }
    }

    /** A categorical parameter: one of a list of strings. */
    record Categorical(String name, List<String> values, Optional<Condition> when) implements Parameter {
        public Categorical {
            SearchSpace.checkName(name);
            if (values == null || values.isEmpty()) {
                throw new IllegalArgumentException("parameter '" + name + "': a categorical parameter needs at least"
                        + " one value");
            }
            values = List.copyOf(values);
            if (values.stream().distinct().count() != values.size()) {
                throw new IllegalArgumentException("parameter '" + name + "': values must be distinct, were "
                        + values);
            }
            Objects.requireNonNull(when, "when");
        }

        @Override
        public Categorical when(Condition when) {
            return new Categorical(name, values, Optional.of(when));
        }
    }

    /** A boolean parameter. */
    record Bool(String name, Optional<Condition> when) implements Parameter {
        public Bool {
            SearchSpace.checkName(name);
            Objects.requireNonNull(when, "when");
        }

        @Override
        public Bool when(Condition when) {
            return new Bool(name, Optional.of(when));
        }
    }
}
