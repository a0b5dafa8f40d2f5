package dev.starling.cli.plots;

import dev.starling.WorkerInfo;
import dev.starling.algorithms.admm.Admm;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * PNG pictures of ADMM runs, rendered headless: the residuals and the gap over time with one line per variant
 * (XChart), and a task stream — one row per worker and variant, a bar per update — the picture Dask's profile plot
 * gives. Stateless.
 */
public final class AdmmPlots {

    private AdmmPlots() {
    }

    /** Primal residual, dual residual and relative gap against seconds, log scale, one line per variant. */
    public static void convergence(List<Admm.Result> results, Path file, double tolerance) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        String[] titles = {"primal residual (RMS over chunks)", "dual residual", "relative gap to f*"};
        for (int metric = 0; metric < 3; metric++) {
            XYChart chart = new XYChartBuilder().width(520).height(380).title(titles[metric])
                    .xAxisTitle("seconds").build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setMarkerSize(0);
            for (Admm.Result r : results) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (Admm.Step s : r.trace()) {
                    double v = metric == 0 ? s.primal() : metric == 1 ? s.dual() : s.gap();
                    if (v > 0 && Double.isFinite(v)) {
                        x.add(s.seconds());
                        y.add(v);
                    }
                }
                if (!x.isEmpty()) {
                    XYSeries series = chart.addSeries(name(r.variant()), x, y);
                    series.setMarker(SeriesMarkers.NONE);
                }
            }
            if (metric == 2 && results.stream().anyMatch(r -> !r.trace().isEmpty())) {
                double end = results.stream().mapToDouble(Admm.Result::seconds).max().orElse(1);
                XYSeries line = chart.addSeries("tolerance", new double[] {0, end}, new double[] {tolerance,
                    tolerance});
                line.setMarker(SeriesMarkers.NONE);
                line.setLineColor(Color.GRAY);
            }
            charts.add(chart);
        }
        Charts.save(charts, file);
    }

    /** One row per variant and worker, a bar per update over the run's time, coloured by chunk. */
    public static void taskStream(List<Admm.Result> results, List<WorkerInfo> workers, Path file)
            throws IOException {
        List<String> workerIds = workers.stream().map(WorkerInfo::id).distinct().toList();
        List<String> rows = new ArrayList<>();
        List<Charts.Bar> bars = new ArrayList<>();
        for (Admm.Result r : results) {
            int first = rows.size();
            workerIds.forEach(w -> rows.add(name(r.variant()) + " " + w));
            for (Admm.Bar bar : r.stream()) {
                int row = workerIds.indexOf(bar.worker());
                if (row >= 0) {
                    bars.add(new Charts.Bar(first + row, (bar.started() - r.startedMicros()) / 1e6,
                            (bar.ended() - r.startedMicros()) / 1e6,
                            Charts.PALETTE[bar.chunk() % Charts.PALETTE.length], false));
                }
            }
        }
        Charts.save(List.of(Charts.taskStream("task stream: a bar per update, coloured by chunk",
                "from the top: " + results.stream().map(r -> name(r.variant())).collect(Collectors.joining(", "))
                + " (a row per worker)", rows.size(), bars)), file);
    }

    /** A variant's name as the command line spells it. */
    public static String name(Admm.Variant v) {
        return v.name().toLowerCase(Locale.ROOT);
    }
}
