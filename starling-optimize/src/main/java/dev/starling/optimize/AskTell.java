package dev.starling.optimize;

import dev.starling.Network;
import dev.starling.Task;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Ask / tell: the caller evaluates configurations in its own loop. {@link #ask()} proposes a configuration with the
 * optimization's optimizer and registers it in the network as a pending evaluation (other workers see it and impute
 * it); {@link #tell} records its outcomes. The first {@code initialDesign} asks of an ADBO optimization come from its
 * Sobol design. Works beside running workers of the same network. Thread-safe.
 *
 * <pre>{@code
 * try (AskTell study = Optimization.on(network).space(space).terminator(Terminator.evaluations(50)).askTell()) {
 *     for (Optional<Map<String, Object>> c; (c = study.ask()).isPresent(); ) {
 *         study.tell(c.get(), Map.of("y", train(c.get())));
 *     }
 * }
 * }</pre>
 */
public final class AskTell implements AutoCloseable {
    private final Network network;
    private final Spec spec;
    private final WorkerSession session;
    private final Proposer proposer;
    private final List<Map<String, Object>> design;
    private final Map<Map<String, Object>, Task> pending = new HashMap<>();
    private int asked;

    AskTell(Network network, Spec spec, WorkerOptions options) {
        this.network = network;
        this.spec = spec;
        this.session = network.openSession(options);
        SplittableRandom random = new SplittableRandom(network.settings().seed() ^ session.workerId().hashCode());
        this.proposer = Proposer.forWorker(spec, network, random);
        this.design = spec.initialDesign(network.settings().seed());
    }

    /**
     * Proposes the next configuration and registers it as pending.
     *
     * @return the configuration, or empty when the terminator says stop or the budget is used up
     */
    public synchronized Optional<Map<String, Object>> ask() {
        if (proposer.done()) {
            return Optional.empty();
        }
        int completed = proposer.archive().size();
        Map<String, Object> config = completed + pending.size() < design.size() && asked < design.size()
                ? design.get(asked) : proposer.propose();
        asked++;
        Optional<Task> task = session.create(config);
        if (task.isEmpty()) {
            return Optional.empty();
        }
        pending.put(config, task.get());
        return Optional.of(config);
    }

    /**
     * Records the outcomes of {@code config}: a number (the ranking outcome), a map or a record, as an objective
     * returns them. A configuration that was not asked for is recorded as a new evaluation, within the budget.
     *
     * @return false when the evaluation could not be recorded: the budget is used up, or the network recovered it
     * @throws InvalidOutcomeException when an outcome is missing or not finite (the evaluation is recorded FAILED)
     * @throws IllegalArgumentException when {@code config} does not belong to the search space
     */
    public synchronized boolean tell(Map<String, ?> config, Object outcomes) {
        Optional<Task> task = take(config);
        if (task.isEmpty()) {
            return false;
        }
        Map<String, Object> values;
        try {
            values = Evaluator.outcomes(outcomes, spec.outcomes());
        } catch (InvalidOutcomeException e) {
            session.fail(task.get(), e);
            throw e;
        }
        return session.finish(task.get(), values);
    }

    /** Records that evaluating {@code config} failed with {@code error}; false as for {@link #tell}. */
    public synchronized boolean fail(Map<String, ?> config, Throwable error) {
        Optional<Task> task = take(config);
        return task.isPresent() && session.fail(task.get(), error);
    }

    private Optional<Task> take(Map<String, ?> config) {
        Map<String, Object> canonical = spec.space().validate(config);
        Task task = pending.remove(canonical);
        return task != null ? Optional.of(task) : session.create(canonical);
    }

    /** Every completed evaluation of the network, ranked by the optimization's first outcome. */
    public EvaluationArchive archive() {
        EvaluationArchive archive = proposer.archive();
        archive.update();
        return archive;
    }

    /** The network. */
    public Network network() {
        return network;
    }

    /** Ends the session; configurations asked but not told go back to the queue, for workers to evaluate. */
    @Override
    public synchronized void close() {
        session.close();
    }
}
