package dev.starling.cli;

import dev.starling.algorithms.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG pictures of iteration histories, rendered headless with XChart: one line per run. Stateless. */
final class HistoryPlots {
    private HistoryPlots() {
    }

    /** The relative loss gap to {@code reference}, over seconds and over iterations, log scale. */
    static void lossGap(List<IterateCommand.Run> runs, double reference, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (boolean overTime : new boolean[] {true, false}) {
            XYChart chart = new XYChartBuilder().width(620).height(420)
                    .title("relative loss gap to the optimum").xAxisTitle(overTime ? "seconds" : "central steps")
                    .build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setMarkerSize(0);
            for (IterateCommand.Run r : runs) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (History.Step s : r.history().steps()) {
                    double gap = (s.metric() - reference) / Math.abs(reference);
                    if (gap > 0 && Double.isFinite(gap)) {
                        x.add(overTime ? s.seconds() : (double) s.iteration());
                        y.add(gap);
                    }
                }
                if (!x.isEmpty()) {
                    XYSeries series = chart.addSeries(r.label(), x, y);
                    series.setMarker(SeriesMarkers.NONE);
                }
            }
            charts.add(chart);
        }
        BitmapEncoder.saveBitmap(charts, 1, 2, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
