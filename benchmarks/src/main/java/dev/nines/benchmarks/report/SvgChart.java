package dev.nines.benchmarks.report;

import java.util.List;
import java.util.Locale;
import java.util.TreeSet;

/**
 * Writes the report's two kinds of chart as standalone SVG documents: horizontal bars with error
 * whiskers (ns/op per benchmark) and lines (a metric against offered load). Plain SVG 1.1, no
 * scripts, fonts or external references. Stateless and thread-safe.
 */
public final class SvgChart {

    /** Bar colour per role: nines, peer, floor. */
    public static final String NINES_COLOR = "#1b7f3b";
    /** Colour of peer bars. */
    public static final String PEER_COLOR = "#3a6ea5";
    /** Colour of floor bars. */
    public static final String FLOOR_COLOR = "#9a9a9a";

    private static final String[] PALETTE = {
        "#c0392b", "#e67e22", "#2e86c1", "#1b7f3b", "#8e44ad", "#7f8c8d", "#b7950b"
    };
    private static final int WIDTH = 760;
    private static final double CHAR_WIDTH = 7.4;

    /**
     * One bar.
     *
     * @param label text left of the bar
     * @param value bar length
     * @param error half-width of the whisker; NaN for none
     * @param color fill colour
     * @param note text right of the bar, after the value
     */
    public record Bar(String label, double value, double error, String color, String note) {
    }

    /**
     * One line.
     *
     * @param name legend text
     * @param dashed whether to draw it dashed and grey, as a reference line
     * @param x x values, ascending
     * @param y y values, same length as {@code x}
     */
    public record Series(String name, boolean dashed, double[] x, double[] y) {
    }

    private SvgChart() {
    }

    /**
     * A horizontal bar chart of {@code bars}, values in {@code unit}, starting at zero; whiskers
     * longer than the axis are cut at its end.
     */
    public static String bars(String title, String unit, List<Bar> bars) {
        int labelWidth = (int) (bars.stream().mapToInt(b -> b.label().length()).max().orElse(10) * CHAR_WIDTH) + 16;
        int noteWidth = 150;
        int plotWidth = Math.max(200, WIDTH - labelWidth - noteWidth);
        int rowHeight = 22;
        int top = 34;
        int height = top + bars.size() * rowHeight + 36;
        // scaled to the bars, not to the whiskers: a wide error (a noisy quick run) is clipped
        // at the plot's edge instead of shrinking every bar
        double max = 1.3 * bars.stream().mapToDouble(Bar::value).filter(Double::isFinite).max().orElse(1);
        double[] ticks = ticks(max);
        double scaleMax = ticks[ticks.length - 1];

        StringBuilder svg = open(WIDTH, height, title);
        for (double tick : ticks) {
            double x = labelWidth + tick / scaleMax * plotWidth;
            svg.append(line(x, top - 4, x, top + bars.size() * rowHeight, "#e3e3e3", false));
            svg.append(text(x, top + bars.size() * rowHeight + 14, "middle", fmt(tick)));
        }
        svg.append(text(labelWidth + plotWidth / 2.0, height - 6, "middle", unit));
        String[][] legend = {{"nines", NINES_COLOR}, {"peer", PEER_COLOR}, {"floor", FLOOR_COLOR}};
        for (int i = 0; i < legend.length; i++) {
            double x = WIDTH - 190 + i * 62;
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"10\" width=\"12\" height=\"12\" fill=\"%s\"/>%n", x, legend[i][1]));
            svg.append(text(x + 16, 20, "start", legend[i][0]));
        }
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            double y = top + i * rowHeight;
            double value = Double.isFinite(bar.value()) ? bar.value() : 0;
            double w = value / scaleMax * plotWidth;
            svg.append(text(labelWidth - 6, y + 15, "end", bar.label()));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                    (double) labelWidth, y + 3, w, rowHeight - 6, bar.color()));
            double end = w;
            if (Double.isFinite(bar.error()) && bar.error() > 0) {
                double lo = labelWidth + Math.max(0, value - bar.error()) / scaleMax * plotWidth;
                double hi = labelWidth + Math.min(value + bar.error(), scaleMax) / scaleMax * plotWidth;
                double mid = y + rowHeight / 2.0;
                svg.append(line(lo, mid, hi, mid, "#222", false))
                        .append(line(lo, mid - 4, lo, mid + 4, "#222", false))
                        .append(line(hi, mid - 4, hi, mid + 4, "#222", false));
                end = hi - labelWidth;
            }
            svg.append(text(labelWidth + end + 6, y + 15, "start", fmt(bar.value()) + " " + bar.note()));
        }
        return svg.append("</svg>\n").toString();
    }

    /**
     * A line chart; the x axis is logarithmic when {@code logX} and labelled at the data's x values
     * followed by {@code xSuffix}.
     */
    public static String lines(String title, String xLabel, String xSuffix, boolean logX,
            String yLabel, double yMax, List<Series> series) {
        int left = 64;
        int right = 200;
        int top = 34;
        int bottom = 48;
        int height = 340;
        int plotWidth = WIDTH - left - right;
        int plotHeight = height - top - bottom;
        TreeSet<Double> xs = new TreeSet<>();
        series.forEach(s -> { for (double x : s.x()) { xs.add(x); } });
        double xMin = xs.isEmpty() ? 0 : xs.first();
        double xMax = xs.isEmpty() ? 1 : xs.last();
        double[] yTicks = ticks(yMax);
        double yTop = yTicks[yTicks.length - 1];
        Axis xAxis = new Axis(xMin, xMax, logX && xMin > 0, left, plotWidth);

        StringBuilder svg = open(WIDTH, height, title);
        for (double tick : yTicks) {
            double y = top + plotHeight - tick / yTop * plotHeight;
            svg.append(line(left, y, left + plotWidth, y, "#e3e3e3", false));
            svg.append(text(left - 6, y + 4, "end", fmt(tick)));
        }
        for (double x : xs) {
            double px = xAxis.at(x);
            svg.append(line(px, top, px, top + plotHeight, "#f0f0f0", false));
            svg.append(text(px, top + plotHeight + 16, "middle", fmt(x) + xSuffix));
        }
        svg.append(line(left, top + plotHeight, left + plotWidth, top + plotHeight, "#555", false));
        svg.append(line(left, top, left, top + plotHeight, "#555", false));
        svg.append(text(left + plotWidth / 2.0, height - 8, "middle", xLabel));
        svg.append(String.format(Locale.ROOT,
                "<text x=\"14\" y=\"%.1f\" text-anchor=\"middle\" transform=\"rotate(-90 14 %.1f)\">%s</text>%n",
                top + plotHeight / 2.0, top + plotHeight / 2.0, HtmlWriter.escape(yLabel)));

        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = s.dashed() ? "#777777" : PALETTE[i % PALETTE.length];
            StringBuilder points = new StringBuilder();
            for (int p = 0; p < s.x().length; p++) {
                if (!Double.isFinite(s.y()[p])) {
                    continue;
                }
                double px = xAxis.at(s.x()[p]);
                double py = top + plotHeight - Math.min(s.y()[p], yTop) / yTop * plotHeight;
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", px, py));
                svg.append(String.format(Locale.ROOT,
                        "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"/>%n", px, py, color));
            }
            svg.append(String.format(Locale.ROOT,
                    "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"%s/>%n",
                    points.toString().trim(), color, s.dashed() ? " stroke-dasharray=\"6 4\"" : ""));
            double ly = top + 8 + i * 18;
            svg.append(line(left + plotWidth + 14, ly, left + plotWidth + 38, ly, color, s.dashed()));
            svg.append(text(left + plotWidth + 44, ly + 4, "start", s.name()));
        }
        return svg.append("</svg>\n").toString();
    }

    /** Maps data x values to pixels, linearly or logarithmically. */
    private record Axis(double min, double max, boolean log, int left, int width) {
        double at(double x) {
            if (max <= min) {
                return left + width / 2.0;
            }
            double f = log
                    ? (Math.log(x) - Math.log(min)) / (Math.log(max) - Math.log(min))
                    : (x - min) / (max - min);
            return left + f * width;
        }
    }

    /** Round tick values from zero to at least {@code max}: 0, step, 2·step, … */
    static double[] ticks(double max) {
        if (!(max > 0) || !Double.isFinite(max)) {
            return new double[] {0, 1};
        }
        double raw = max / 5;
        double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
        double step = magnitude;
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= raw) {
                step = m * magnitude;
                break;
            }
        }
        int n = (int) Math.ceil(max / step - 1e-9);
        double[] ticks = new double[Math.max(n, 1) + 1];
        for (int i = 0; i < ticks.length; i++) {
            ticks[i] = i * step;
        }
        return ticks;
    }

    /** A number with about three significant digits and no trailing zeros. */
    static String fmt(double v) {
        if (!Double.isFinite(v)) {
            return "n/a";
        }
        double a = Math.abs(v);
        String s = a >= 100 || a == 0 ? String.format(Locale.ROOT, "%.0f", v)
                : a >= 10 ? String.format(Locale.ROOT, "%.1f", v)
                : a >= 1 ? String.format(Locale.ROOT, "%.2f", v)
                : String.format(Locale.ROOT, "%.3f", v);
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static StringBuilder open(int width, int height, String title) {
        StringBuilder svg = new StringBuilder();
        svg.append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\""
                        + " font-family=\"sans-serif\" font-size=\"12\">%n",
                width, height, width, height));
        svg.append("<title>").append(HtmlWriter.escape(title)).append("</title>\n");
        svg.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        svg.append(String.format(Locale.ROOT,
                "<text x=\"%d\" y=\"20\" font-size=\"14\" font-weight=\"bold\">%s</text>%n",
                10, HtmlWriter.escape(title)));
        return svg;
    }

    private static String line(double x1, double y1, double x2, double y2, String color, boolean dashed) {
        return String.format(Locale.ROOT,
                "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"%s/>%n",
                x1, y1, x2, y2, color, dashed ? " stroke-dasharray=\"6 4\"" : "");
    }

    private static String text(double x, double y, String anchor, String text) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>%n",
                x, y, anchor, HtmlWriter.escape(text));
    }
}
