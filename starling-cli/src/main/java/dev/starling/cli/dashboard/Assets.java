package dev.starling.cli.dashboard;

import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Map;

/**
 * The dashboard's files: its one page (served for {@code /} and {@code /networks/NAME}, the script reads the path),
 * its script and style, and uPlot from its webjar. Everything is served from the class path, so the page loads no
 * script or font from outside this machine. Stateless.
 */
final class Assets {
    private static final String UPLOT = "META-INF/resources/webjars/uplot/1.6.30/dist/";
    private static final String OWN = "dev/starling/cli/dashboard/";

    /** Served name → resource on the class path and content type. */
    private static final Map<String, String[]> FILES = Map.of(
            "app.js", new String[] {OWN + "app.js", "text/javascript; charset=utf-8"},
            "app.css", new String[] {OWN + "app.css", "text/css; charset=utf-8"},
            "uPlot.js", new String[] {UPLOT + "uPlot.iife.min.js", "text/javascript; charset=utf-8"},
            "uPlot.css", new String[] {UPLOT + "uPlot.min.css", "text/css; charset=utf-8"});

    void serve(HttpExchange exchange) throws IOException {
        List<String> path = Dashboard.segments(exchange.getRequestURI());
        String[] file = path.size() == 2 ? FILES.get(path.get(1)) : null;
        if (file == null) {
            Dashboard.send(exchange, 404, ("no such file: " + exchange.getRequestURI().getPath()).getBytes());
            return;
        }
        Dashboard.send(exchange, open(file[0]), file[1]);
    }

    void page(HttpExchange exchange) throws IOException {
        List<String> path = Dashboard.segments(exchange.getRequestURI());
        if (path.equals(List.of("favicon.ico"))) {
            Dashboard.send(exchange, 204, new byte[0]);
            return;
        }
        boolean known = path.isEmpty() || (path.size() == 2 && path.get(0).equals("networks"));
        if (!known) {
            Dashboard.send(exchange, 404, ("no such page: " + exchange.getRequestURI().getPath()
                    + "; the dashboard is at /").getBytes());
            return;
        }
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        Dashboard.send(exchange, open(OWN + "index.html"), "text/html; charset=utf-8");
    }

    private static InputStream open(String resource) throws IOException {
        InputStream in = Assets.class.getResourceAsStream("/" + resource);
        if (in == null) {
            throw new IOException("the dashboard's resource " + resource + " is missing from the class path");
        }
        return in;
    }
}
