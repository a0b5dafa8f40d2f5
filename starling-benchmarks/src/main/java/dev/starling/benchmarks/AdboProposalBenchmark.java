package dev.starling.benchmarks;

import dev.starling.Network;
import dev.starling.Store;
import dev.starling.optimize.AskTell;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.Optimizer;
import dev.starling.optimize.Problem;
import dev.starling.optimize.Terminator;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One ADBO proposal on an archive of {@code n} evaluations of Hartmann 6 (6 dimensions), on one thread: the archive's
 * incremental read, the random-forest fit on all of it, and the search over 10,000 random candidates plus 1,000
 * local-search points, with the default settings — then the tell that records the result. Measured through the
 * ask / tell interface on the memory store, so it is what a worker pays per proposal. Each proposal adds to the
 * archive, so every iteration starts from a fresh archive of {@code n} (plus one proposal that reads it all, untimed)
 * and times {@value #PROPOSALS} proposals.
 *
 * <p>Run: {@code ./mvnw -q -pl starling-benchmarks -am package -DskipTests && java -cp
 * "starling-benchmarks/target/starling-benchmarks.jar:starling-benchmarks/target/lib/*" org.openjdk.jmh.Main
 * AdboProposalBenchmark}
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5)
@Measurement(iterations = 10)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@Threads(1)
@State(Scope.Benchmark)
public class AdboProposalBenchmark {
    static final int PROPOSALS = 10;

    @Param({"100", "1000", "10000"})
    private int n;

    private final Problem problem = Problem.hartmann6();
    private Store store;
    private AskTell study;

    @Setup(Level.Iteration)
    public void fill() throws Exception {
        store = Store.memory();
        Network network = Network.builder(store, "adbo-bench").seed(1).create();
        study = Optimization.on(network).problem(problem).optimizer(Optimizer.adbo().withInitialDesign(0))
                .terminator(Terminator.evaluations(Long.MAX_VALUE / 2)).askTell();
        SplittableRandom random = new SplittableRandom(2);
        for (int i = 0; i < n; i++) {
            Map<String, Object> config = problem.space().sample(random);
            study.tell(config, problem.objective().evaluate(config));
        }
        // A worker reads the archive once and then only what is new: the first proposal, which reads and encodes
        // all n evaluations, is not what each proposal costs.
        Map<String, Object> first = study.ask().orElseThrow();
        study.tell(first, problem.objective().evaluate(first));
        System.gc();
    }

    @TearDown(Level.Iteration)
    public void close() {
        study.close();
        store.close();
    }

    @Benchmark
    @OperationsPerInvocation(PROPOSALS)
    public Object proposeAndTell() throws Exception {
        Map<String, Object> config = null;
        for (int i = 0; i < PROPOSALS; i++) {
            config = study.ask().orElseThrow();
            study.tell(config, problem.objective().evaluate(config));
        }
        return config;
    }
}
