package dev.starling.cli;

import dev.starling.optimize.Evaluation;
import dev.starling.optimize.EvaluationArchive;
import dev.starling.optimize.Outcome;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG pictures of an optimization, rendered headless with XChart. Stateless. */
final class OptimizationPlots {
    private OptimizationPlots() {
    }

    /**
     * Two panels, over evaluations and over seconds: every finished evaluation's value as a dot, the best so far as
     * a line, and {@code baseline} (when finite) as a dashed reference.
     */
    static void best(EvaluationArchive archive, double baseline, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
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
        BitmapEncoder.saveBitmap(charts, 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
