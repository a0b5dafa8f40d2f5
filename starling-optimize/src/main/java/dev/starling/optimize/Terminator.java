package dev.starling.optimize;

import java.time.Duration;
import java.util.List;
import java.util.OptionalLong;

/**
 * When an optimization stops. Every worker evaluates its terminator against the shared state before each proposal,
 * so a run stops everywhere without a coordinator. The number of evaluations is exact: it becomes the network's task
 * budget, which the store enforces atomically. Terminators are immutable values; combine them with {@link #or} and
 * {@link #and}.
 */
public sealed interface Terminator {

    /** Stops after {@code n} evaluations in all, counting those of earlier runs on the same network. */
    static Terminator evaluations(long n) {
        return new Evaluations(n);
    }

    /** Stops once {@code limit} has passed since the run started. */
    static Terminator runTime(Duration limit) {
        return new RunTime(limit);
    }

    /**
     * Stops once the ranking outcome reaches {@code value} (at or below it when minimized, at or above when maximized).
     */
    static Terminator target(double value) {
        return new Target(value);
    }

    /** Stops when the best value improved by less than {@code epsilon} over the last {@code k} evaluations. */
    static Terminator stagnation(int k, double epsilon) {
        return new Stagnation(k, epsilon);
    }

    /** Stops when this or {@code other} says so. */
    default Terminator or(Terminator other) {
        return new AnyOf(List.of(this, other));
    }

    /** Stops when both this and {@code other} say so. */
    default Terminator and(Terminator other) {
        return new AllOf(List.of(this, other));
    }

    /** Whether the optimization is done, given what the caller knows of it. */
    boolean isDone(RunState state);

    /**
     * The number of evaluations after which this terminator is surely done, or empty when there is no such bound:
     * the network's budget.
     */
    OptionalLong budget();

    /**
     * What a terminator looks at.
     *
     * @param bestLosses for each completed evaluation, in completion order, the best loss (the ranking outcome,
     *                   negated when maximized) up to it; +infinity before any finished
     * @param elapsed    the time since the run started
     * @param outcome    the ranking outcome
     */
    record RunState(double[] bestLosses, Duration elapsed, Outcome outcome) {
        /** How many evaluations completed. */
        public int count() {
            return bestLosses.length;
        }

        /** The best loss so far, or +infinity. */
        public double bestLoss() {
            return bestLosses.length == 0 ? Double.POSITIVE_INFINITY : bestLosses[bestLosses.length - 1];
        }
    }

    /** See {@link #evaluations(long)}. */
    record Evaluations(long n) implements Terminator {
        public Evaluations {
            if (n < 1) {
                throw new IllegalArgumentException("the number of evaluations must be at least 1, was " + n);
            }
        }

        @Override
        public boolean isDone(RunState state) {
            return state.count() >= n;
        }

        @Override
        public OptionalLong budget() {
            return OptionalLong.of(n);
        }
    }

    /** See {@link #runTime(Duration)}. */
    record RunTime(Duration limit) implements Terminator {
        public RunTime {
            if (limit == null || limit.isNegative() || limit.isZero()) {
                throw new IllegalArgumentException("the run time limit must be positive, was " + limit);
            }
        }

        @Override
        public boolean isDone(RunState state) {
            return state.elapsed().compareTo(limit) >= 0;
        }

        @Override
        public OptionalLong budget() {
            return OptionalLong.empty();
        }
    }

    /** See {@link #target(double)}. */
    record Target(double value) implements Terminator {
        public Target {
            if (Double.isNaN(value)) {
                throw new IllegalArgumentException("the target value must be a number, was NaN");
            }
        }

        @Override
        public boolean isDone(RunState state) {
            return state.bestLoss() <= state.outcome().loss(value);
        }

        @Override
        public OptionalLong budget() {
            return OptionalLong.empty();
        }
    }

    /** See {@link #stagnation(int, double)}. */
    record Stagnation(int k, double epsilon) implements Terminator {
        public Stagnation {
            if (k < 1) {
                throw new IllegalArgumentException("stagnation needs a window of at least 1 evaluation, was " + k);
            }
            if (!(epsilon >= 0)) {
                throw new IllegalArgumentException("stagnation needs an epsilon of zero or more, was " + epsilon);
            }
        }

        @Override
        public boolean isDone(RunState state) {
            int n = state.count();
            if (n <= k) {
                return false;
            }
            double before = state.bestLosses()[n - 1 - k];
            double now = state.bestLosses()[n - 1];
            return Double.isFinite(before) && before - now < epsilon;
        }

        @Override
        public OptionalLong budget() {
            return OptionalLong.empty();
        }
    }

    /** Done when any of its terminators is. */
    record AnyOf(List<Terminator> terminators) implements Terminator {
        public AnyOf {
            terminators = List.copyOf(terminators);
        }

        @Override
        public boolean isDone(RunState state) {
            return terminators.stream().anyMatch(t -> t.isDone(state));
        }

        @Override
        public OptionalLong budget() {
            return terminators.stream().map(Terminator::budget).filter(OptionalLong::isPresent)
                    .mapToLong(OptionalLong::getAsLong).min();
        }
    }

    /** Done when all of its terminators are. */
    record AllOf(List<Terminator> terminators) implements Terminator {
        public AllOf {
            terminators = List.copyOf(terminators);
        }

        @Override
        public boolean isDone(RunState state) {
            return terminators.stream().allMatch(t -> t.isDone(state));
        }

        @Override
        public OptionalLong budget() {
            if (terminators.stream().anyMatch(t -> t.budget().isEmpty())) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(terminators.stream().mapToLong(t -> t.budget().getAsLong()).max().orElseThrow());
        }
    }
}
