package dev.starling.cli;

import dev.starling.WorkerInfo;
import dev.starling.algorithms.admm.Admm;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
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
final class AdmmPlots {
    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
        new Color(0xd62728), new Color(0x9467bd), new Color(0x8c564b)};

    private AdmmPlots() {
    }

    /** Primal residual, dual residual and relative gap against seconds, log scale, one line per variant. */
    static void convergence(List<Admm.Result> results, Path file, double tolerance) throws IOException {
        System.setProperty("java.awt.headless", "true");
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
                    XYSeries series = chart.addSeries(AdmmCommand.name(r.variant()), x, y);
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
        BitmapEncoder.saveBitmap(charts, 1, 3, file.toString(), BitmapEncoder.BitmapFormat.PNG);
    }

    /** One row per worker and variant, a bar per update over the run's time, coloured by chunk. */
    static void taskStream(List<Admm.Result> results, List<WorkerInfo> workers, Path file) throws IOException {
        Map<String, Integer> rowOf = new LinkedHashMap<>();
        for (WorkerInfo w : workers) {
            rowOf.putIfAbsent(w.id(), rowOf.size());
        }
        int rowsPerVariant = Math.max(1, rowOf.size());
        int rowHeight = 22;
        int left = 150;
        int width = 1200;
        int top = 30;
        int height = top + results.size() * (rowsPerVariant * rowHeight + 20) + 30;
        double maxSeconds = results.stream().mapToDouble(Admm.Result::seconds).max().orElse(1);
        BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, width, height);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        g.setColor(Color.BLACK);
        g.drawString(String.format(Locale.ROOT, "task stream: one row per worker, a bar per update (0 to %.2f s)",
                maxSeconds), 10, 18);
        double scale = (width - left - 20) / maxSeconds;
        int y = top;
        for (Admm.Result r : results) {
            for (Map.Entry<String, Integer> w : rowOf.entrySet()) {
                int rowY = y + w.getValue() * rowHeight;
                g.setColor(Color.BLACK);
                g.drawString(AdmmCommand.name(r.variant()) + " " + w.getKey(), 5, rowY + 15);
                g.setColor(new Color(0xeeeeee));
                g.fillRect(left, rowY + 2, width - left - 20, rowHeight - 4);
            }
            for (Admm.Bar bar : r.stream()) {
                Integer row = rowOf.get(bar.worker());
                if (row == null) {
                    continue;
                }
                int x0 = left + (int) ((bar.started() - r.startedMicros()) / 1e6 * scale);
                int x1 = left + (int) Math.ceil((bar.ended() - r.startedMicros()) / 1e6 * scale);
                g.setColor(COLORS[bar.chunk() % COLORS.length]);
                g.fillRect(Math.max(left, x0), y + row * rowHeight + 3, Math.max(1, x1 - x0), rowHeight - 6);
            }
            y += rowsPerVariant * rowHeight + 20;
        }
        g.setColor(Color.BLACK);
        g.setStroke(new BasicStroke(1));
        g.drawLine(left, height - 25, width - 20, height - 25);
        g.drawString("0 s", left, height - 8);
        g.drawString(String.format(Locale.ROOT, "%.2f s", maxSeconds), width - 70, height - 8);
        g.dispose();
        ImageIO.write(image, "png", file.toFile());
    }
}
