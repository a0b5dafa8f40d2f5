package dev.starling.cli;

import dev.starling.Network;
import dev.starling.Task;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG pictures of any network, rendered headless with XChart: its task stream (one row per worker, a bar per task
 * from start to finish, failed tasks marked) and its progress (tasks completed over time). Stateless.
 */
final class NetworkPlots {
    private static final Color FINISHED = new Color(0x1f77b4);
    private static final Color FAILED = new Color(0xd62728);

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
    static void stream(Network network, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<WorkerInfo> workers = network.workers();
        Map<String, Integer> row = new HashMap<>();
        for (WorkerInfo w : workers) {
            row.put(w.id(), row.size() + 1);
        }
        List<Task> tasks = started(network);
        Instant now = network.store().clock().instant();
        Instant start = tasks.isEmpty() ? now : tasks.getFirst().started();
        int height = Math.max(300, Math.min(2400, 120 + 6 * workers.size()));
        XYChart chart = new XYChartBuilder().width(1200).height(height).title("task stream of " + network.name())
                .xAxisTitle("seconds").yAxisTitle("worker (by registration)").build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(workers.size() + 1.0);
        float thickness = (float) Math.max(1, Math.min(12, (height - 120.0) / Math.max(1, workers.size()) * 0.7));
        boolean drawn = false;
        for (boolean failed : new boolean[] {false, true}) {
            // One series of segments, broken by NaN between tasks: a series per task would be too many to draw.
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> crossX = new ArrayList<>();
            List<Double> crossY = new ArrayList<>();
            for (Task t : tasks) {
                if ((t.state() == TaskState.FAILED) != failed || !row.containsKey(t.worker())) {
                    continue;
                }
                double r = row.get(t.worker());
                double end = seconds(start, t.finished() == null ? now : t.finished());
                x.add(seconds(start, t.started()));
                x.add(Math.max(end, seconds(start, t.started()) + 1e-3));
                x.add(Double.NaN);
                y.add(r);
                y.add(r);
                y.add(Double.NaN);
                if (failed) {
                    crossX.add(end);
                    crossY.add(r);
                }
            }
            if (x.isEmpty()) {
                continue;
            }
            drawn = true;
            XYSeries bars = chart.addSeries(failed ? "failed" : "tasks", x, y);
            bars.setMarker(SeriesMarkers.NONE);
            bars.setLineColor(failed ? FAILED : FINISHED);
            bars.setLineStyle(new BasicStroke(thickness, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            if (failed) {
                XYSeries crosses = chart.addSeries("failed at", crossX, crossY);
                crosses.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                crosses.setMarker(SeriesMarkers.CROSS);
                crosses.setMarkerColor(FAILED);
            }
        }
        if (!drawn) {
            chart.addSeries("tasks", List.of(0.0), List.of(Double.NaN)).setMarker(SeriesMarkers.NONE);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** Progress: tasks completed (finished, failed) over time, and the completion rate per second. */
    static void progress(Network network, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
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
        line.setLineColor(FINISHED);
        if (!failedX.isEmpty()) {
            XYSeries failed = chart.addSeries("failed", failedX, failedY);
            failed.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            failed.setMarker(SeriesMarkers.CROSS);
            failed.setMarkerColor(FAILED);
        }
        BitmapEncoder.saveBitmap(chart, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
