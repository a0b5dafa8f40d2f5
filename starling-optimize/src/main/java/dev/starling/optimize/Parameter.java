package dev.starling.optimize;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One dimension of a {@link SearchSpace}: a real, integer, categorical or boolean parameter, optionally active only
 * when another parameter has one of given values. Parameters are immutable values and thread-safe; build them through
 * {@link SearchSpace.Builder}.
 *
 * <p>Each parameter also converts its values for the space. A value's <em>raw</em> form is a double: the real or
 * integer value itself, a category's index, 1 or 0 for true and false. {@link #rawAt} maps the unit interval onto
 * the raw values, {@link #raw} checks a configuration value and {@link #value} turns a raw value back into one, and
 * {@link #encode} and {@link #rawOfEncoded} convert between raw values and the coordinates of an encoded
 * configuration (see {@link SearchSpace#encode}).
 */
public sealed interface Parameter {

    /** The parameter's name, unique in its space. */
    String name();

    /** The condition under which it is active, or empty when it is always active. */
    Optional<Condition> when();

    /** The parameter with condition {@code when}. */
    Parameter when(Condition when);

    /**
     * The raw value at a point of the unit interval: reals spread uniformly (in log space for log-scale ones),
     * integers, categories and booleans over equal cells.
     *
     * @param unit a point of [0, 1]
     * @return a raw value the parameter can take
     */
    double rawAt(double unit);

    /**
     * The coordinate of a raw value in an encoded configuration, in [0, 1]: reals scaled (in log space for log-scale
     * ones, 0.5 when the bounds are equal), integers, categories and booleans at the centres of equal cells.
     *
     * @param raw a raw value the parameter can take
     * @return its coordinate
     */
    double encode(double raw);

    /**
     * The raw value of a coordinate of an encoded configuration: the inverse of {@link #encode}, taking integers,
     * categories and booleans from the cell the coordinate falls in.
     *
     * @param encoded a coordinate in [0, 1]
     * @return its raw value
     */
    double rawOfEncoded(double encoded);

    /**
     * The configuration value of a raw value: a {@code Double}, {@code Integer}, {@code String} or {@code Boolean}.
     *
     * @param raw a raw value the parameter can take
     * @return its value in a configuration
     */
    Object value(double raw);

    /**
     * Checks a configuration value and returns its raw value.
     *
     * @param value the value, of any type
     * @param where what the value belongs to, added to the error message as " in " + where; empty for nothing
     * @return its raw value
     * @throws IllegalArgumentException when the parameter cannot take the value, naming the parameter, what it needs
     *                                  and the value
     */
    double raw(Object value, String where);

    private static IllegalArgumentException invalid(Parameter p, String problem, Object value, String where) {
        return new IllegalArgumentException("parameter '" + p.name() + "' " + problem + ", was " + describe(value)
                + (where.isEmpty() ? "" : " in " + where));
    }

    private static String describe(Object value) {
        return value instanceof String s ? "\"" + s + "\"" : value + (value == null ? ""
                : " (" + value.getClass().getSimpleName() + ")");
    }

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

        @Override
        public double rawAt(double u) {
            return log ? Math.min(upper, Math.max(lower, Math.exp(Math.log(lower) + u * (Math.log(upper)
                    - Math.log(lower))))) : Math.min(upper, lower + u * (upper - lower));
        }

        @Override
        public double encode(double raw) {
            return upper == lower ? 0.5 : log
                    ? (Math.log(raw) - Math.log(lower)) / (Math.log(upper) - Math.log(lower))
                    : (raw - lower) / (upper - lower);
        }

        @Override
        public double rawOfEncoded(double encoded) {
            return log ? Math.exp(Math.log(lower) + encoded * (Math.log(upper) - Math.log(lower)))
                    : lower + encoded * (upper - lower);
        }

        @Override
        public Object value(double raw) {
            return raw;
        }

        @Override
        public double raw(Object value, String where) {
            if (!(value instanceof Number number)) {
                throw invalid(this, "must be a number", value, where);
            }
            double v = number.doubleValue();
            if (!(v >= lower && v <= upper)) {
                throw invalid(this, "must be in [" + lower + ", " + upper + "]", value, where);
            }
            return v;
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

        @Override
        public double rawAt(double u) {
            return lower + Math.min((long) Math.floor(u * ((long) upper - lower + 1)), (long) upper - lower);
        }

        @Override
        public double encode(double raw) {
            return (raw - lower + 0.5) / ((double) upper - lower + 1);
        }

        @Override
        public double rawOfEncoded(double encoded) {
            return Math.rint(encoded * ((double) upper - lower + 1) - 0.5) + lower;
        }

        @Override
        public Object value(double raw) {
            return (int) raw;
        }

        @Override
        public double raw(Object value, String where) {
            if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())) {
                throw invalid(this, "must be an integer", value, where);
            }
            double v = number.doubleValue();
            if (!(v >= lower && v <= upper)) {
                throw invalid(this, "must be in [" + lower + ", " + upper + "]", value, where);
            }
            return v;
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

        @Override
        public double rawAt(double u) {
            return Math.min(Math.floor(u * values.size()), values.size() - 1);
        }

        @Override
        public double encode(double raw) {
            return (raw + 0.5) / values.size();
        }

        @Override
        public double rawOfEncoded(double encoded) {
            return Math.rint(encoded * values.size() - 0.5);
        }

        @Override
        public Object value(double raw) {
            return values.get((int) raw);
        }

        @Override
        public double raw(Object value, String where) {
            if (!(value instanceof String s && values.contains(s))) {
                throw invalid(this, "must be one of " + values, value, where);
            }
            return values.indexOf(s);
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

        @Override
        public double rawAt(double u) {
            return u >= 0.5 ? 1 : 0;
        }

        @Override
        public double encode(double raw) {
            return raw == 1 ? 0.75 : 0.25;
        }

        @Override
        public double rawOfEncoded(double encoded) {
            return encoded > 0.5 ? 1 : 0;
        }

        @Override
        public Object value(double raw) {
            return raw == 1;
        }

        @Override
        public double raw(Object value, String where) {
            if (!(value instanceof Boolean b)) {
                throw invalid(this, "must be true or false", value, where);
            }
            return b ? 1 : 0;
        }
    }
}
