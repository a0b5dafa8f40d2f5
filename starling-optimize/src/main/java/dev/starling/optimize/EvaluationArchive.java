package dev.starling.optimize;

import dev.starling.Archive;
import dev.starling.Network;
import dev.starling.Task;
import dev.starling.internal.Csv;
import dev.starling.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * Every completed evaluation of an optimization, read incrementally from its network: each {@link #update()} reads
 * only what completed since the last. Best and top-k by the primary outcome; export as a table, CSV or JSON lines.
 * Thread-safe.
 */
public final class EvaluationArchive {
    private final Archive tasks;
    private final Outcome outcome;
    private final List<Outcome> outcomes;
    private final List<Evaluation> evaluations = new ArrayList<>();
    private SearchSpace space;
    private Evaluation best;

    EvaluationArchive(Archive tasks, List<Outcome> outcomes) {
        this.tasks = tasks;
        this.outcomes = List.copyOf(outcomes);
        this.outcome = this.outcomes.getFirst();
    }

    /** A new archive of the evaluations in {@code network}, ranked by {@code outcome}; filled by {@link #update()}. */
    public static EvaluationArchive of(Network network, Outcome outcome) {
        return of(network, List.of(Objects.requireNonNull(outcome)));
    }

    /**
     * A new archive of the evaluations in {@code network}, ranked by the first of {@code outcomes}, with its Pareto
     * front over all of them; filled by {@link #update()}.
     */
    public static EvaluationArchive of(Network network, List<Outcome> outcomes) {
        EvaluationArchive archive = new EvaluationArchive(network.archive(), outcomes);
        archive.update();
        return archive;
    }

    /**
     * The archive of the optimization kept in {@code network} (by {@link Optimization#run()} or {@code starling
     * optimize}), ranked by its outcomes and filled; empty when the network runs no optimization.
     */
    public static Optional<EvaluationArchive> ofOptimization(Network network) {
        return network.attribute(Spec.ATTRIBUTE).map(json -> {
            Spec spec = Spec.fromJson(json);
            EvaluationArchive archive = of(network, spec.outcomes());
            archive.space = spec.space();
            return archive;
        });
    }

    /** The search space of the optimization, for an archive made by {@link #ofOptimization}; empty otherwise. */
    public Optional<SearchSpace> space() {
        return Optional.ofNullable(space);
    }

    /** The outcome that ranks evaluations. */
    public Outcome outcome() {
        return outcome;
    }

    /** Every outcome of the optimization, the ranking one first. */
    public List<Outcome> outcomes() {
        return outcomes;
    }

    /** {@code e}'s losses, one per outcome (maximized ones negated); call only for evaluations with all of them. */
    double[] losses(Evaluation e) {
        double[] losses = new double[outcomes.size()];
        for (int i = 0; i < losses.length; i++) {
            Outcome o = outcomes.get(i);
            losses[i] = o.loss(e.outcomes().get(o.name()));
        }
        return losses;
    }

    /** The FINISHED evaluations with a value of every outcome. */
    private List<Evaluation> complete() {
        return evaluations.stream().filter(e -> outcomes.stream().allMatch(e::has)).toList();
    }

    /**
     * The Pareto front over every outcome: the finished evaluations that no other dominates, ordered by the ranking
     * outcome, best first (with one outcome, the best evaluation).
     */
    public synchronized List<Evaluation> front() {
        List<Evaluation> complete = complete();
        List<double[]> points = complete.stream().map(this::losses).toList();
        return Pareto.front(points).stream().map(complete::get).sorted(Comparator.comparingDouble(this::loss))
                .toList();
    }

    /**
     * The hypervolume of the front, in loss space, bounded by {@code reference} (given as outcome values, in the
     * order of {@link #outcomes()}): the measure of progress of a multi-objective search.
     */
    public synchronized double hypervolume(double[] reference) {
        double[] bound = new double[outcomes.size()];
        for (int i = 0; i < bound.length; i++) {
            bound[i] = outcomes.get(i).loss(reference[i]);
        }
        return Pareto.hypervolume(front().stream().map(this::losses).toList(), bound);
    }

    /**
     * A reference point for the hypervolume: the worst value of each outcome among the finished evaluations, pushed
     * a tenth of that outcome's range further, so that the front's extreme points count too. It moves as the
     * archive grows; compare runs with a fixed reference.
     */
    public synchronized double[] reference() {
        double[] worst = nadir();
        List<Evaluation> complete = complete();
        double[] reference = new double[worst.length];
        for (int i = 0; i < worst.length; i++) {
            Outcome o = outcomes.get(i);
            double best = complete.stream().mapToDouble(e -> o.loss(e.outcomes().get(o.name()))).min()
                    .orElse(Double.NaN);
            double bad = o.loss(worst[i]);
            double margin = Math.max(0.1 * (bad - best), 1e-9 * Math.max(1, Math.abs(bad)));
            reference[i] = o.loss(bad + margin);
        }
        return reference;
    }

    /** The worst value of each outcome among the finished evaluations. */
    public synchronized double[] nadir() {
        double[] worst = new double[outcomes.size()];
        Arrays.fill(worst, Double.NEGATIVE_INFINITY);
        for (Evaluation e : complete()) {
            double[] l = losses(e);
            for (int i = 0; i < l.length; i++) {
                worst[i] = Math.max(worst[i], l[i]);
            }
        }
        for (int i = 0; i < worst.length; i++) {
            worst[i] = outcomes.get(i).loss(worst[i]);
        }
        return worst;
    }

    /** Reads what completed since the last update; returns the new evaluations, in completion order. */
    public synchronized List<Evaluation> update() {
        return absorb(tasks.update());
    }

    /**
     * Waits up to {@code timeout} until an evaluation completes that this archive has not read, then reads what is
     * new, as {@link #update()} does; empty on timeout. Other readers of this archive wait meanwhile.
     */
    public synchronized List<Evaluation> await(Duration timeout) throws InterruptedException {
        return absorb(tasks.await(timeout));
    }

    private List<Evaluation> absorb(List<Task> fresh) {
        List<Evaluation> added = new ArrayList<>(fresh.size());
        for (Task task : fresh) {
            Evaluation e = Evaluation.of(task);
            added.add(e);
            if (e.has(outcome) && (best == null || loss(e) < loss(best))) {
                best = e;
            }
        }
        evaluations.addAll(added);
        return added;
    }

    private double loss(Evaluation e) {
        return outcome.loss(e.outcomes().get(outcome.name()));
    }

    /** Every evaluation read so far (FINISHED and FAILED), in completion order. */
    public synchronized List<Evaluation> evaluations() {
        return List.copyOf(evaluations);
    }

    /** The FINISHED evaluations with a value of the ranking outcome, in completion order. */
    public synchronized List<Evaluation> finished() {
        return evaluations.stream().filter(e -> e.has(outcome)).toList();
    }

    /** How many evaluations were read (FINISHED and FAILED). */
    public synchronized int size() {
        return evaluations.size();
    }

    /** The best evaluation by the ranking outcome, or empty when none finished. */
    public synchronized Optional<Evaluation> best() {
        return Optional.ofNullable(best);
    }

    /** The {@code k} best evaluations, best first. */
    public synchronized List<Evaluation> top(int k) {
        if (k <= 0) {
            return List.of();
        }
        // A bounded selection, ties in archive order as a stable sort gives them: the dashboard asks every refresh,
        // and sorting all of 100,000 evaluations to keep ten is the wrong cost.
        Comparator<Integer> byLoss = Comparator.<Integer>comparingDouble(i -> loss(evaluations.get(i)))
                .thenComparingInt(i -> i);
        PriorityQueue<Integer> kept = new PriorityQueue<>(k + 1, byLoss.reversed());
        for (int i = 0; i < evaluations.size(); i++) {
            if (evaluations.get(i).has(outcome)) {
                kept.add(i);
                if (kept.size() > k) {
                    kept.poll();
                }
            }
        }
        return kept.stream().sorted(byLoss).map(evaluations::get).toList();
    }

    /** The best loss (the ranking outcome, negated when maximized) after each evaluation, in completion order. */
    synchronized double[] bestLossHistory() {
        double[] history = new double[evaluations.size()];
        double bestLoss = Double.POSITIVE_INFINITY;
        for (int i = 0; i < history.length; i++) {
            Evaluation e = evaluations.get(i);
            if (e.has(outcome)) {
                bestLoss = Math.min(bestLoss, loss(e));
            }
            history[i] = bestLoss;
        }
        return history;
    }

    /** The {@code rows} best evaluations as an aligned text table: rank, id, parameters, outcomes, worker. */
    public String table(int rows) {
        return table(top(rows));
    }

    /** {@code evaluations} as an aligned text table, in their order: rank, id, parameters, outcomes, worker. */
    public String table(List<Evaluation> evaluations) {
        List<Evaluation> top = evaluations;
        List<String> params = names(top, true);
        List<String> outs = names(top, false);
        List<List<String>> cells = new ArrayList<>();
        List<String> header = new ArrayList<>(List.of("rank", "id"));
        header.addAll(params);
        header.addAll(outs);
        header.add("worker");
        cells.add(header);
        int rank = 1;
        for (Evaluation e : top) {
            List<String> row = new ArrayList<>(List.of(Integer.toString(rank++), Long.toString(e.id())));
            params.forEach(p -> row.add(format(e.config().get(p))));
            outs.forEach(o -> row.add(format(e.outcomes().get(o))));
            row.add(String.valueOf(e.worker()));
            cells.add(row);
        }
        int[] width = new int[header.size()];
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                width[i] = Math.max(width[i], row.get(i).length());
            }
        }
        StringBuilder out = new StringBuilder();
        for (List<String> row : cells) {
            for (int i = 0; i < row.size(); i++) {
                out.append(i == 0 ? "" : "  ").append(String.format("%" + width[i] + "s", row.get(i)));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static String format(Object value) {
        if (value == null) {
            return "-";
        }
        if (value instanceof Double d) {
            return String.format("%.6g", d);
        }
        return value.toString();
    }

    private static List<String> names(List<Evaluation> evaluations, boolean config) {
        Set<String> names = new LinkedHashSet<>();
        for (Evaluation e : evaluations) {
            names.addAll(config ? e.config().keySet() : e.outcomes().keySet());
        }
        return List.copyOf(names);
    }

    /**
     * Writes every evaluation as CSV (RFC 4180): id, state, worker, timestamps, seconds, one column per parameter,
     * per outcome and per detail (a detail's numbers separated by spaces; empty where inactive or missing), and the
     * error.
     */
    public void writeCsv(Appendable out) {
        List<Evaluation> all = evaluations();
        List<String> params = names(all, true);
        List<String> outs = names(all, false);
        Set<String> detailNames = new LinkedHashSet<>();
        all.forEach(e -> detailNames.addAll(e.details().keySet()));
        List<String> header = new ArrayList<>(List.of("id", "state", "worker", "created", "started", "finished",
                "seconds"));
        params.forEach(p -> header.add(header.contains(p) ? "x_" + p : p));
        outs.forEach(o -> header.add(header.contains(o) ? "y_" + o : o));
        detailNames.forEach(d -> header.add(header.contains(d) ? "d_" + d : d));
        header.add("error");
        try {
            Csv.row(header, out);
            for (Evaluation e : all) {
                List<String> row = new ArrayList<>(List.of(Long.toString(e.id()), e.state().name(), text(e.worker()),
                        text(e.created()), text(e.started()), text(e.finished()),
                        Double.isNaN(e.seconds()) ? "" : Double.toString(e.seconds())));
                params.forEach(p -> row.add(text(e.config().get(p))));
                outs.forEach(o -> row.add(text(e.outcomes().get(o))));
                // A detail is a list of numbers: one cell, the numbers separated by spaces.
                detailNames.forEach(d -> row.add(e.details().containsKey(d) ? String.join(" ", e.details().get(d)
                        .stream().map(String::valueOf).toList()) : ""));
                row.add(e.error() == null ? "" : e.error().type() + ": " + e.error().message());
                Csv.row(row, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Writes every evaluation as JSON lines: one object per line with id, state, worker, timestamps, seconds,
     * config, outcomes, details (when there are any) and error.
     */
    public void writeJsonLines(Appendable out) {
        try {
            for (Evaluation e : evaluations()) {
                Map<String, Object> line = new LinkedHashMap<>();
                line.put("id", e.id());
                line.put("state", e.state().name());
                line.put("worker", e.worker());
                line.put("created", text(e.created()));
                line.put("started", text(e.started()));
                line.put("finished", text(e.finished()));
                line.put("seconds", Double.isNaN(e.seconds()) ? null : e.seconds());
                line.put("config", e.config());
                line.put("outcomes", e.outcomes());
                if (!e.details().isEmpty()) {
                    line.put("details", e.details());
                }
                line.put("error", e.error() == null ? null : Map.of("kind", e.error().kind().name(), "type",
                        e.error().type(), "message", e.error().message()));
                out.append(Json.mapper().writeValueAsString(line)).append('\n');
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String text(Object value) {
        return value == null ? "" : value.toString();
    }
}
