package dev.starling.cli;

import dev.starling.FreeLoop;
import dev.starling.QueueLoop;
import dev.starling.TaskContext;
import dev.starling.WorkerContext;
import dev.starling.algorithms.Algorithm;
import dev.starling.algorithms.Answer;
import dev.starling.algorithms.ProblemBuilder;
import dev.starling.futures.Functions;
import dev.starling.futures.TaskFunction;
import java.util.List;
import java.util.Map;

/** Loops that do nothing, for measuring coordination cost; public so worker processes can run them by name. */
public final class NoOpLoops {
    private NoOpLoops() {
    }

    /** Handles every queued task with empty outputs. */
    public static final class Queue implements QueueLoop {
        @Override
        public Object handle(TaskContext task) {
            return null;
        }
    }

    /** Creates empty tasks and finishes them with empty outputs. */
    public static final class Free implements FreeLoop {
        @Override
        public Object propose(WorkerContext worker) {
            return Map.of();
        }

        @Override
        public Object evaluate(TaskContext task) {
            return null;
        }
    }

    /** A function that returns its input, for measuring the cost of futures. */
    public static final TaskFunction<Integer, Integer> IDENTITY = TaskFunction.of("identity", Integer.class,
            Integer.class);

    /** Binds {@link #IDENTITY}; public so that worker processes can run it by name. */
    public static final class Identity extends Functions {
        /** The functions. */
        public Identity() {
            super(builder().add(IDENTITY, (x, task) -> x));
        }
    }

    /** An algorithm whose steps do nothing: answers of 100 doubles, an empty central step; for framework overhead. */
    public static final class EmptyAlgorithm implements Algorithm<Integer, double[], double[]> {
        private static final double[] ANSWER = new double[100];

        @Override
        public Class<double[]> queryType() {
            return double[].class;
        }

        @Override
        public Class<double[]> answerType() {
            return double[].class;
        }

        @Override
        public double[] init(Integer problem) {
            return new double[100];
        }

        @Override
        public double[] step(double[] query, Integer problem) {
            return ANSWER;
        }

        @Override
        public double[] central(Answer<double[]> answer, Integer problem) {
            return answer.value();
        }

        @Override
        public double[] central(List<Answer<double[]>> answers, Integer problem) {
            return answers.getFirst().value();
        }
    }

    /** The empty algorithm's problem: each worker's index. */
    public static final class EmptyProblem implements ProblemBuilder<Integer> {
        @Override
        public Integer worker(int index, int workers) {
            return index;
        }
    }
}
