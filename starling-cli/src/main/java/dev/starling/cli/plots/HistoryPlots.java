package dev.starling.cli.plots;

import dev.starling.algorithms.History;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.Chart;
import org.knowm.xchart.style.markers.SeriesMarkers;

/** PNG pictures of iteration histories, rendered headless with XChart: one line per run. Stateless. */
public final class HistoryPlots {
    private HistoryPlots() {
    }

    /**
     * The relative loss gap to {@code reference}, over seconds and over iterations, log scale, one line per run (by
     * label, in the map's order).
     */
    public static void lossGap(Map<String, History> runs, double reference, Path file) throws IOException {
        List<Chart<?, ?>> charts = new ArrayList<>();
        for (boolean overTime : new boolean[] {true, false}) {
            XYChart chart = new XYChartBuilder().width(620).height(420)
                    .title("relative loss gap to the optimum").xAxisTitle(overTime ? "seconds" : "central steps")
                    .build();
            chart.getStyler().setYAxisLogarithmic(true);
            chart.getStyler().setMarkerSize(0);
            for (Map.Entry<String, History> r : runs.entrySet()) {
                List<Double> x = new ArrayList<>();
                List<Double> y = new ArrayList<>();
                for (History.Step s : r.getValue().steps()) {
                    double gap = (s.metric() - reference) / Math.abs(reference);
                    if (gap > 0 && Double.isFinite(gap)) {
                        x.add(overTime ? s.seconds() : (double) s.iteration());
                        y.add(gap);
                    }
                }
                if (!x.isEmpty()) {
                    XYSeries series = chart.addSeries(r.getKey(), x, y);
                    series.setMarker(SeriesMarkers.NONE);
                }
            }
            charts.add(chart);
        }
        Charts.save(charts, file);
    }
}
