package dev.starling.cli.plots;

import dev.starling.optimize.Evaluation;
import dev.starling.optimize.EvaluationArchive;
import dev.starling.optimize.Outcome;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG pictures of an optimization, rendered headless with XChart. Stateless. */
public final class OptimizationPlots {
    private OptimizationPlots() {
    }

    /** Workers beyond this many share the last colour in the picture of evaluations by worker. */
    private static final int COLOURED_WORKERS = Charts.PALETTE.length;

    /**
     * Three panels: over evaluations and over seconds, every finished evaluation's value as a dot, the best so far
     * as a line, and {@code baseline} (when finite) as a dashed reference; then the evaluations over seconds coloured
     * by the worker that ran them.
     */
    public static void best(EvaluationArchive archive, double baseline, Path file) throws IOException {
        Outcome outcome = archive.outcome();
        List<Evaluation> finished = archive.finished();
        Instant start = archive.evaluations().stream().map(Evaluation::created).filter(t -> t != null)
                .min(Instant::compareTo).orElse(Instant.EPOCH);
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (boolean overTime : new boolean[] {false, true}) {
            XYChart chart = new XYChartBuilder().width(620).height(420).title(outcome.toString())
                    .xAxisTitle(overTime ? "seconds" : "evaluations").yAxisTitle(outcome.name()).build();
            chart.getStyler().setMarkerSize(4);
            List<Double> x = new ArrayList<>();
            List<Double> value = new ArrayList<>();
            List<Double> best = new ArrayList<>();
            double bestLoss = Double.POSITIVE_INFINITY;
            int n = 0;
            for (Evaluation e : finished) {
                n++;
                double v = e.outcomes().get(outcome.name());
                bestLoss = Math.min(bestLoss, outcome.loss(v));
                x.add(overTime ? (e.finished().toEpochMilli() - start.toEpochMilli()) / 1000.0 : n);
                value.add(v);
                best.add(outcome.loss(bestLoss));
            }
            if (x.isEmpty()) {
                x.add(0.0);
                value.add(Double.NaN);
                best.add(Double.NaN);
            }
            XYSeries dots = chart.addSeries("evaluations", x, value);
            dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dots.setMarkerColor(new Color(0x99, 0x99, 0x99, 0x99));
            XYSeries line = chart.addSeries("best so far", x, best);
            line.setMarker(SeriesMarkers.NONE);
            line.setLineColor(new Color(0x1f77b4));
            if (Double.isFinite(baseline)) {
                XYSeries reference = chart.addSeries("defaults", List.of(x.getFirst(), x.getLast()),
                        List.of(baseline, baseline));
                reference.setMarker(SeriesMarkers.NONE);
                reference.setLineColor(new Color(0xd62728));
                reference.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT,
                        java.awt.BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
            }
            charts.add(chart);
        }
        charts.add(byWorker(outcome, finished, start));
        Charts.save(charts, file);
    }

    private static XYChart byWorker(Outcome outcome, List<Evaluation> finished, Instant start) {
        XYChart chart = new XYChartBuilder().width(620).height(420).title("evaluations by worker")
                .xAxisTitle("seconds").yAxisTitle(outcome.name()).build();
        chart.getStyler().setMarkerSize(5);
        Map<String, List<double[]>> points = new LinkedHashMap<>();
        for (Evaluation e : finished) {
            String worker = e.worker() == null ? "unknown" : e.worker();
            String key = points.size() < COLOURED_WORKERS || points.containsKey(worker) ? worker : "others";
            points.computeIfAbsent(key, k -> new ArrayList<>()).add(new double[] {
                (e.finished().toEpochMilli() - start.toEpochMilli()) / 1000.0, e.outcomes().get(outcome.name())});
        }
        chart.getStyler().setLegendVisible(points.size() <= COLOURED_WORKERS + 1);
        int i = 0;
        for (Map.Entry<String, List<double[]>> w : points.entrySet()) {
            XYSeries dots = chart.addSeries(w.getKey(), w.getValue().stream().map(p -> p[0]).toList(),
                    w.getValue().stream().map(p -> p[1]).toList());
            dots.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            dots.setMarker(SeriesMarkers.CIRCLE);
            dots.setMarkerColor(w.getKey().equals("others") ? Color.LIGHT_GRAY
                    : Charts.PALETTE[i++ % Charts.PALETTE.length]);
        }
        if (points.isEmpty()) {
            chart.addSeries("evaluations", List.of(0.0), List.of(Double.NaN)).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
