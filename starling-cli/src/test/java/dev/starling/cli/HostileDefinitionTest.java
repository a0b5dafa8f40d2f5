package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerExit;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.optimize.Objective;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationLoop;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Optimizer;
import dev.starling.optimize.Problem;
import dev.starling.optimize.SearchSpace;
import dev.starling.optimize.Terminator;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the store can make a worker process do: a network's definition rewritten by someone who can write to the
 * store (an optimization whose objective becomes a shell command, or a class from the class path) makes worker
 * processes stop with an error, and runs nothing; what the worker was started to accept still runs.
 */
@Timeout(120)
class HostileDefinitionTest {

    private static Network optimizationOn(Store store, String name) throws InterruptedException {
        Network network = Network.builder(store, name).budget(4).create();
        Optimization.on(network).problem(Problem.branin()).optimizer(Optimizer.random())
                .terminator(Terminator.evaluations(2)).workers(1).run();
        network.setBudget(100);
        return network;
    }

    private static WorkerExit runOneProcess(Network network) throws InterruptedException {
        try (Controller c = network.controller()) {
            WorkerProcess p = c.startProcesses(1, OptimizationLoop.class, WorkerOptions.defaults()).getFirst();
            assertThat(p.waitFor(Duration.ofSeconds(60))).as("the worker process stops").isNotEqualTo(-1);
            return p.exit().orElseThrow();
        }
    }

    @Test
    void aCommandWrittenIntoTheDefinition_isNotRun_byWorkerProcessesThatWereNotToldToRunCommands(@TempDir Path dir)
            throws Exception {
        Path pwned = dir.resolve("pwned");
        try (Store store = RedisStore.open(TestRedis.url())) {
            Network network = optimizationOn(store, "hostile-command-" + System.nanoTime());
            String spec = network.attribute("optimization").orElseThrow();
            network.setAttribute("optimization", spec.replace("\"problem\":\"branin\"",
                    "\"command\":\"touch " + pwned + "\",\"timeout\":\"PT1M\""));

            WorkerExit exit = runOneProcess(network);

            assertThat(exit.cause()).isEqualTo(WorkerExit.Cause.FAILED);
            assertThat(exit.message()).contains("asks this worker to run the command 'touch")
                    .contains("--accept commands");
            assertThat(pwned).doesNotExist();
        }
    }

    @Test
    void aClassWrittenIntoTheDefinition_isNotLoaded_unlessTheWorkerAcceptsIt() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url())) {
            Network network = optimizationOn(store, "hostile-class-" + System.nanoTime());
            String spec = network.attribute("optimization").orElseThrow();
            network.setAttribute("optimization", spec.replace("\"problem\":\"branin\"",
                    "\"class\":\"org.example.Payload\""));

            WorkerExit exit = runOneProcess(network);

            assertThat(exit.cause()).isEqualTo(WorkerExit.Cause.FAILED);
            assertThat(exit.message()).contains("objective class 'org.example.Payload' is named by the network's"
                    + " definition in the store").contains("--accept org.example.Payload");
        }
    }

    @Test
    void anOptimizationWithACommandObjective_stillRunsInTheProcessesItStarts(@TempDir Path dir) throws Exception {
        Path space = dir.resolve("space.json");
        Files.writeString(space, "{\"x\": {\"type\": \"real\", \"lower\": 0, \"upper\": 1}}");
        try (Store store = RedisStore.open(TestRedis.url())) {
            Network network = Network.builder(store, "command-ok-" + System.nanoTime()).create();
            OptimizationResult result = Optimization.on(network).space(SearchSpace.fromJson(Files.readString(space)))
                    .objective(Objective.command("echo '{\"y\": 1}'", Duration.ofSeconds(30))).minimize("y")
                    .optimizer(Optimizer.random()).terminator(Terminator.evaluations(6)).processes(1).run();
            assertThat(result.archive().finished()).hasSize(6);
        }
    }
}
