package dev.starling.cli.plots;

import dev.starling.Network;
import dev.starling.Task;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG pictures of any network, rendered headless with XChart: its task stream (one row per worker, a bar per task
 * from start to finish, failed tasks marked) and its progress (tasks completed over time). Stateless.
 */
public final class NetworkPlots {

    private NetworkPlots() {
    }

    /** The completed and running tasks that have started, oldest start first. */
    private static List<Task> started(Network network) {
        List<Task> tasks = new ArrayList<>();
        for (TaskState state : List.of(TaskState.FINISHED, TaskState.FAILED, TaskState.CANCELLED,
                TaskState.RUNNING)) {
            network.tasks(state).stream().filter(t -> t.started() != null && t.worker() != null).forEach(tasks::add);
        }
        tasks.sort(Comparator.comparing(Task::started));
        return tasks;
    }

    private static double seconds(Instant from, Instant to) {
        return (to.toEpochMilli() - from.toEpochMilli()) / 1000.0;
    }

    /**
     * The task stream: worker rows in order of registration, each task a bar from its start to its finish (to now
     * while running), failed tasks in red with a cross at their end.
     */
    public static void stream(Network network, Path file) throws IOException {
        List<WorkerInfo> workers = network.workers();
        Map<String, Integer> row = new HashMap<>();
        for (WorkerInfo w : workers) {
            row.put(w.id(), row.size());
        }
        List<Task> tasks = started(network);
        Instant now = network.store().clock().instant();
        Instant start = tasks.isEmpty() ? now : tasks.getFirst().started();
        List<Charts.Bar> bars = new ArrayList<>();
        for (Task t : tasks) {
            Integer r = row.get(t.worker());
            if (r != null) {
                boolean failed = t.state() == TaskState.FAILED;
                bars.add(new Charts.Bar(r, seconds(start, t.started()), seconds(start, t.finished() == null ? now
                        : t.finished()), failed ? Charts.FAILED : Charts.FINISHED, failed));
            }
        }
        Charts.save(List.of(Charts.taskStream("task stream of " + network.name(), "worker (by registration)",
                workers.size(), bars)), file);
    }

    /** Progress: tasks completed (finished, failed) over time, and the completion rate per second. */
    public static void progress(Network network, Path file) throws IOException {
        List<Task> done = new ArrayList<>(network.tasks(TaskState.FINISHED));
        done.addAll(network.tasks(TaskState.FAILED));
        done.removeIf(t -> t.finished() == null);
        done.sort(Comparator.comparing(Task::finished));
        Instant start = done.stream().map(Task::created).min(Comparator.naturalOrder())
                .orElse(network.store().clock().instant());
        XYChart chart = new XYChartBuilder().width(900).height(500).title("progress of " + network.name())
                .xAxisTitle("seconds").yAxisTitle("tasks completed").build();
        List<Double> x = new ArrayList<>(List.of(0.0));
        List<Double> y = new ArrayList<>(List.of(0.0));
        List<Double> failedX = new ArrayList<>();
        List<Double> failedY = new ArrayList<>();
        for (Task t : done) {
            x.add(seconds(start, t.finished()));
            y.add((double) y.size());
            if (t.state() == TaskState.FAILED) {
                failedX.add(x.getLast());
                failedY.add(y.getLast());
            }
        }
        XYSeries line = chart.addSeries("completed", x, y);
        line.setMarker(SeriesMarkers.NONE);
        line.setLineColor(Charts.FINISHED);
        if (!failedX.isEmpty()) {
            XYSeries failed = chart.addSeries("failed", failedX, failedY);
            failed.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            failed.setMarker(SeriesMarkers.CROSS);
            failed.setMarkerColor(Charts.FAILED);
        }
        Charts.save(List.of(chart), file);
    }
}
