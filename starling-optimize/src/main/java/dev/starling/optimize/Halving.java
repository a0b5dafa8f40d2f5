package dev.starling.optimize;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * The decision rule of {@link Optimizer.SuccessiveHalving}: from the evaluations so far and those pending, the next
 * configuration to evaluate — a promotion, or a new configuration at its bracket's lowest rung. A configuration is
 * its parameters without the fidelity: the same configuration at two fidelities is one configuration on two rungs.
 * Immutable; {@link #propose} is a pure function of its arguments and the generator.
 */
final class Halving {
    private final String fidelity;
    private final double eta;
    private final boolean hyperband;
    private final Outcome outcome;
    private final SearchSpace space;
    /** The fidelity of each rung, lowest first, typed as the parameter's values (Integer or Double). */
    private final List<Object> rungs;

    private Halving(SearchSpace space, Optimizer.SuccessiveHalving settings, Outcome outcome, List<Object> rungs) {
        this.space = space;
        this.fidelity = settings.fidelity();
        this.eta = settings.eta();
        this.hyperband = settings.hyperband();
        this.outcome = outcome;
        this.rungs = rungs;
    }

    /**
     * The rule for {@code settings} on {@code space}.
     *
     * @throws IllegalArgumentException when the fidelity is not an unconditional real or integer parameter of the
     *                                  space with a positive lower bound, or its range holds fewer than two rungs
     */
    static Halving of(SearchSpace space, Optimizer.SuccessiveHalving settings, Outcome outcome) {
        String name = settings.fidelity();
        if (space.parameters().stream().noneMatch(p -> p.name().equals(name))) {
            throw new IllegalArgumentException("the fidelity parameter '" + name + "' of " + settings.name()
                    + " is not in the search space; it has " + space.parameters().stream().map(Parameter::name)
                    .toList());
        }
        Parameter p = space.parameter(name);
        if (p.when().isPresent()) {
            throw new IllegalArgumentException("the fidelity parameter '" + name + "' must always be active; it has"
                    + " a condition");
        }
        double lower;
        double upper;
        boolean integer;
        switch (p) {
            case Parameter.Real r -> {
                lower = r.lower();
                upper = r.upper();
                integer = false;
            }
            case Parameter.Int i -> {
                lower = i.lower();
                upper = i.upper();
                integer = true;
            }
            default -> throw new IllegalArgumentException("the fidelity parameter '" + name + "' must be real or"
                    + " integer, was " + p);
        }
        if (!(lower > 0)) {
            throw new IllegalArgumentException("the fidelity parameter '" + name + "' needs a positive lower bound,"
                    + " its smallest fidelity; was " + lower);
        }
        List<Object> rungs = new ArrayList<>();
        for (int k = 0; lower * Math.pow(settings.eta(), k) <= upper * (1 + 1e-9); k++) {
            // A rung within rounding of the upper bound is the upper bound: values stay inside the space.
            double r = Math.min(lower * Math.pow(settings.eta(), k), upper);
            Object value = integer ? (Object) (int) Math.round(r) : (Object) r;
            if (!rungs.contains(value)) {
                rungs.add(value);
            }
        }
        if (rungs.size() < 2) {
            throw new IllegalArgumentException("the fidelity '" + name + "' from " + lower + " to " + upper
                    + " holds one rung at eta " + settings.eta() + "; widen it so that its upper bound is at least"
                    + " eta times its lower bound");
        }
        return new Halving(space, settings, outcome, List.copyOf(rungs));
    }

    /** The fidelities of the rungs, lowest first. */
    List<Object> rungs() {
        return rungs;
    }

    /** What is known of one configuration: the rungs it reached and its loss on each finished one. */
    private static final class Trial {
        final Map<String, Object> config;
        int start = Integer.MAX_VALUE;
        final Map<Integer, Double> loss = new HashMap<>();
        final java.util.Set<Integer> present = new java.util.HashSet<>();

        Trial(Map<String, Object> config) {
            this.config = config;
        }

        void at(int rung) {
            start = Math.min(start, rung);
            present.add(rung);
        }
    }

    /**
     * The next configuration: the best promotable one of the highest rung that has one, or a new one.
     *
     * @param completed the evaluations that completed (FINISHED or FAILED)
     * @param pending   the configurations being evaluated or queued
     */
    Map<String, Object> propose(List<Evaluation> completed, List<Map<String, Object>> pending,
                                RandomGenerator random) {
        Map<Map<String, Object>, Trial> trials = new LinkedHashMap<>();
        for (Evaluation e : completed) {
            int rung = rungOf(e.config());
            if (rung >= 0) {
                Trial t = trial(trials, e.config());
                t.at(rung);
                double loss = e.has(outcome) ? outcome.loss(e.outcomes().get(outcome.name()))
                        : Double.POSITIVE_INFINITY;
                t.loss.merge(rung, loss, Math::min);
            }
        }
        for (Map<String, Object> config : pending) {
            int rung = rungOf(config);
            if (rung >= 0) {
                trial(trials, config).at(rung);
            }
        }
        for (int k = rungs.size() - 2; k >= 0; k--) {
            for (int bracket = 0; bracket <= (hyperband ? k : 0); bracket++) {
                Trial promoted = promotion(trials, bracket, k);
                if (promoted != null) {
                    return at(promoted.config, k + 1);
                }
            }
        }
        return at(space.sample(random), hyperband ? bracket(random) : 0);
    }

    /** The best trial of {@code bracket} in the top 1/eta of rung k that is not yet on rung k + 1, or null. */
    private Trial promotion(Map<Map<String, Object>, Trial> trials, int bracket, int k) {
        List<Trial> rung = new ArrayList<>();
        for (Trial t : trials.values()) {
            if (t.start == bracket && t.loss.containsKey(k)) {
                rung.add(t);
            }
        }
        int top = (int) Math.floor(rung.size() / eta);
        rung.sort(Comparator.comparingDouble(t -> t.loss.get(k)));
        for (int i = 0; i < top; i++) {
            Trial t = rung.get(i);
            if (Double.isFinite(t.loss.get(k)) && !t.present.contains(k + 1)) {
                return t;
            }
        }
        return null;
    }

    /** A bracket drawn with Hyperband's weights: bracket s has ceil((S + 1) / (S + 1 - s) · eta^(S - s)) configs. */
    private int bracket(RandomGenerator random) {
        int top = rungs.size() - 1;
        double[] weight = new double[top + 1];
        double sum = 0;
        for (int s = 0; s <= top; s++) {
            weight[s] = Math.ceil((top + 1.0) / (top + 1 - s) * Math.pow(eta, top - s));
            sum += weight[s];
        }
        double u = random.nextDouble() * sum;
        for (int s = 0; s < top; s++) {
            u -= weight[s];
            if (u < 0) {
                return s;
            }
        }
        return top;
    }

    private Trial trial(Map<Map<String, Object>, Trial> trials, Map<String, Object> config) {
        Map<String, Object> key = new HashMap<>(config);
        key.remove(fidelity);
        return trials.computeIfAbsent(key, Trial::new);
    }

    /** {@code config} at rung {@code rung}, its parameters in the space's order. */
    private Map<String, Object> at(Map<String, Object> config, int rung) {
        Map<String, Object> next = new LinkedHashMap<>();
        for (Parameter p : space.parameters()) {
            Object value = p.name().equals(fidelity) ? rungs.get(rung) : config.get(p.name());
            if (value != null) {
                next.put(p.name(), value);
            }
        }
        return next;
    }

    /** The rung whose fidelity {@code config} has, or -1 (an evaluation from outside this search). */
    private int rungOf(Map<String, Object> config) {
        if (!(config.get(fidelity) instanceof Number n)) {
            return -1;
        }
        for (int k = 0; k < rungs.size(); k++) {
            double r = ((Number) rungs.get(k)).doubleValue();
            if (Math.abs(n.doubleValue() - r) <= 1e-9 * Math.max(1, Math.abs(r))) {
                return k;
            }
        }
        return -1;
    }
}
