package dev.starling.cli.plots;

import java.awt.BasicStroke;
import java.awt.Color;
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

/** What the pictures share: the palette, the headless save, and the task-stream chart. Stateless. */
final class Charts {
    static final Color FINISHED = new Color(0x1f77b4);
    static final Color FAILED = new Color(0xd62728);
    static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)};

    private Charts() {
    }

    /** Saves {@code charts} side by side in one PNG, rendered without a display. */
    static void save(List<? extends Chart<?, ?>> charts, Path file) throws IOException {
        System.setProperty("java.awt.headless", "true");
        if (charts.size() == 1) {
            BitmapEncoder.saveBitmap(charts.getFirst(), file.toString(), BitmapEncoder.BitmapFormat.PNG);
        } else {
            BitmapEncoder.saveBitmap(List.copyOf(charts), 1, charts.size(), file.toString(),
                    BitmapEncoder.BitmapFormat.PNG);
        }
    }

    /**
     * One bar of a task stream: a task on row {@code row} (from 0) from {@code start} to {@code end} seconds, in
     * {@code color}, with a cross at its end when it failed.
     */
    record Bar(int row, double start, double end, Color color, boolean failed) {
    }

    /**
     * A task stream: {@code rows} rows (the first at the top, named by {@code rowsTitle} on the axis), a bar per
     * task. Bars of one colour are one series of segments broken by NaN, since a series per task would be too many
     * to draw.
     */
    static XYChart taskStream(String title, String rowsTitle, int rows, List<Bar> bars) {
        int height = Math.max(300, Math.min(2400, 120 + 6 * rows));
        XYChart chart = new XYChartBuilder().width(1200).height(height).title(title).xAxisTitle("seconds")
                .yAxisTitle(rowsTitle).build();
        chart.getStyler().setLegendVisible(false);
        chart.getStyler().setYAxisMin(0.0).setYAxisMax(rows + 1.0);
        float thickness = (float) Math.max(1, Math.min(12, (height - 120.0) / Math.max(1, rows) * 0.7));
        List<Color> colors = bars.stream().map(Bar::color).distinct().toList();
        for (Color color : colors) {
            List<Double> x = new ArrayList<>();
            List<Double> y = new ArrayList<>();
            List<Double> crossX = new ArrayList<>();
            List<Double> crossY = new ArrayList<>();
            for (Bar b : bars) {
                if (!b.color().equals(color)) {
                    continue;
                }
                double r = rows - b.row();
                x.add(b.start());
                x.add(Math.max(b.end(), b.start() + 1e-3));
                x.add(Double.NaN);
                y.add(r);
                y.add(r);
                y.add(Double.NaN);
                if (b.failed()) {
                    crossX.add(b.end());
                    crossY.add(r);
                }
            }
            XYSeries series = chart.addSeries("tasks " + Integer.toHexString(color.getRGB()), x, y);
            series.setMarker(SeriesMarkers.NONE);
            series.setLineColor(color);
            series.setLineStyle(new BasicStroke(thickness, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
            if (!crossX.isEmpty()) {
                XYSeries crosses = chart.addSeries("failed " + Integer.toHexString(color.getRGB()), crossX, crossY);
                crosses.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
                crosses.setMarker(SeriesMarkers.CROSS);
                crosses.setMarkerColor(FAILED);
            }
        }
        if (colors.isEmpty()) {
            chart.addSeries("tasks", List.of(0.0), List.of(Double.NaN)).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }
}
