package dev.nines.demo;

import java.util.List;
import java.util.Locale;

/**
 * Draws the report's charts as inline SVG text: line charts over the seconds of a run (on a linear
 * or a logarithmic scale) and state timelines, all with the script's phases shaded behind. A chart's
 * title has a row of its own, the legend the row below it. No scripts, fonts or links: the SVG is
 * self-contained.
 */
final class Svg {

    static final int WIDTH = 520;
    static final int HEIGHT = 206;
    private static final int LEFT = 60;
    private static final int RIGHT = 10;
    /** Above a chart's plot: the title's row, then the row of the unit (left) and the legend (right). */
    private static final int TOP = 38;
    /** The baseline of the title's row. */
    static final int TITLE_Y = 14;
    /** The baseline of the legend's row, below the title's so that a long title never runs into it. */
    static final int LEGEND_Y = 30;
    private static final int TIMELINE_TOP = 22;
    private static final int BOTTOM = 22;

    /** One line of a chart. */
    record Line(String name, String color, double[] values) {
    }

    /** A stretch of one state on a timeline row. */
    record Band(double from, double to, String state, String color) {
    }

    /** One row of a timeline. */
    record Row(String name, List<Band> bands) {
    }

    /** A dashed horizontal line across a chart at {@code value}, labelled at its left end: a threshold. */
    record Threshold(String label, String color, double value) {
    }

    private Svg() {
    }

    /** The larger of {@code floor} and the largest finite value in {@code lines}, rounded up to look tidy. */
    static double niceMax(double floor, List<Line> lines) {
        double max = floor;
        for (Line l : lines) {
            for (double v : l.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        double step = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * step >= max) {
                return m * step;
            }
        }
        return 10 * step;
    }

    /** A line chart of {@code lines} (one value per second) from 0 to {@code yMax}. */
    static String lineChart(String title, String unit, List<Line> lines, double yMax, int seconds, List<Phase> phases) {
        StringBuilder s = open(title);
        background(s, seconds, phases);
        int plotH = HEIGHT - TOP - BOTTOM;
        for (int i = 0; i <= 5; i++) {
            double v = yMax * i / 5;
            double y = TOP + plotH - plotH * i / 5.0;
            s.append(fmt("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", LEFT, y, WIDTH - RIGHT, y));
            s.append(fmt("<text x='%d' y='%.1f' text-anchor='end' font-size='10'>%s</text>", LEFT - 4, y + 3,
                    label(v)));
        }
        s.append(fmt("<text x='4' y='%d' font-size='10' fill='#555'>%s</text>", LEGEND_Y, esc(unit)));
        for (Line l : lines) {
            StringBuilder points = new StringBuilder();
            for (int i = 0; i < l.values().length && i < seconds; i++) {
                double v = l.values()[i];
                if (!Double.isFinite(v)) {
                    polyline(s, points, l.color());
                    points.setLength(0);
                    continue;
                }
                double y = TOP + plotH - plotH * Math.min(v, yMax) / yMax;
                points.append(fmt("%.1f,%.1f ", x(i + 0.5, seconds), y));
            }
            polyline(s, points, l.color());
        }
        legend(s, lines);
        return s.append("</svg>").toString();
    }

    /**
     * A line chart on a logarithmic scale from {@code yMin} to {@code yMax} (both powers of ten), for
     * values spanning decades, such as burn rates: value {@code k} of each line is drawn at the end of
     * step {@code k} ({@code (k + 1) × stepSeconds}); values at or below {@code yMin} (zero included)
     * are drawn on the bottom line, which is labelled "≤ yMin". Each threshold is a dashed line in its
     * colour, labelled at the left of the plot. {@code strip}, if not null, holds a colour per step (or
     * null) for a band under the plot, such as when an alert fired.
     */
    static String logChart(String title, String unit, List<Line> lines, double stepSeconds, List<Threshold> thresholds,
            double yMin, double yMax, String[] strip, int seconds, List<Phase> phases) {
        StringBuilder s = open(title);
        background(s, seconds, phases);
        int plotH = HEIGHT - TOP - BOTTOM;
        double low = Math.log10(yMin);
        double decades = Math.log10(yMax) - low;
        java.util.function.DoubleUnaryOperator y = v -> TOP + plotH
                - plotH * (Math.log10(Math.min(Math.max(v, yMin), yMax)) - low) / decades;
        for (int d = 0; d <= Math.round(decades); d++) {
            double v = yMin * Math.pow(10, d);
            double at = y.applyAsDouble(v);
            s.append(fmt("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='#ddd'/>", LEFT, at, WIDTH - RIGHT, at));
            s.append(fmt("<text x='%d' y='%.1f' text-anchor='end' font-size='10'>%s%s×</text>", LEFT - 4, at + 3,
                    d == 0 ? "≤ " : "", v < 1 ? fmt("%.1f", v) : fmt("%.0f", v)));
        }
        s.append(fmt("<text x='4' y='%d' font-size='10' fill='#555'>%s</text>", LEGEND_Y, esc(unit)));
        for (Threshold t : thresholds) {
            double at = y.applyAsDouble(t.value());
            s.append(fmt("<line x1='%d' y1='%.1f' x2='%d' y2='%.1f' stroke='%s' stroke-width='1.2' "
                    + "stroke-dasharray='5,3'/>", LEFT, at, WIDTH - RIGHT, at, t.color()));
            s.append(fmt("<text x='%d' y='%.1f' font-size='9' fill='%s'>%s</text>", LEFT + 3, at - 2, t.color(),
                    esc(t.label())));
        }
        if (strip != null) {
            for (int k = 0; k < strip.length; k++) {
                if (strip[k] != null) {
                    double x0 = x(k * stepSeconds, seconds);
                    s.append(fmt("<rect x='%.1f' y='%d' width='%.1f' height='4' fill='%s'/>", x0, TOP + plotH + 1,
                            x((k + 1) * stepSeconds, seconds) - x0, strip[k]));
                }
            }
        }
        for (Line l : lines) {
            StringBuilder points = new StringBuilder();
            for (int k = 0; k < l.values().length && (k + 1) * stepSeconds <= seconds + 1e-9; k++) {
                double v = l.values()[k];
                if (!Double.isFinite(v)) {
                    polyline(s, points, l.color());
                    points.setLength(0);
                    continue;
                }
                points.append(fmt("%.1f,%.1f ", x((k + 1) * stepSeconds, seconds), y.applyAsDouble(v)));
            }
            polyline(s, points, l.color());
        }
        legend(s, lines);
        return s.append("</svg>").toString();
    }

    /** A timeline: one row of coloured state bands per breaker or tier. */
    static String timeline(String title, List<Row> rows, int seconds, List<Phase> phases) {
        int rowH = 22;
        int height = TIMELINE_TOP + rows.size() * rowH + BOTTOM;
        StringBuilder s = new StringBuilder(fmt("<svg width='%d' height='%d' "
                + "viewBox='0 0 %d %d' font-family='sans-serif' role='img'><title>%s</title>", WIDTH, height, WIDTH,
                height, esc(title)));
        s.append(fmt("<text x='%d' y='%d' font-size='12' font-weight='bold'>%s</text>", LEFT, TITLE_Y, esc(title)));
        int r = 0;
        for (Row row : rows) {
            double y = TIMELINE_TOP + r * rowH;
            s.append(fmt("<text x='%d' y='%.1f' text-anchor='end' font-size='10'>%s</text>", LEFT - 4, y + 14,
                    esc(row.name())));
            for (Band b : row.bands()) {
                double x0 = x(b.from(), seconds);
                double x1 = Math.max(x0 + 0.8, x(b.to(), seconds));
                s.append(fmt("<rect x='%.1f' y='%.1f' width='%.1f' height='%d' fill='%s'><title>%s %s: %.1f-%.1f s"
                        + "</title></rect>", x0, y + 2, x1 - x0, rowH - 4, b.color(), esc(row.name()), b.state(),
                        b.from(), b.to()));
            }
            r++;
        }
        axis(s, seconds, height);
        for (Phase p : phases) {
            double x = x(p.startNanos() / 1e9, seconds);
            s.append(fmt("<line x1='%.1f' y1='%d' x2='%.1f' y2='%d' stroke='#333' stroke-dasharray='2,2'/>", x,
                    TIMELINE_TOP, x, height - BOTTOM));
        }
        return s.append("</svg>").toString();
    }

    private static StringBuilder open(String title) {
        StringBuilder s = new StringBuilder(fmt("<svg width='%d' height='%d' "
                + "viewBox='0 0 %d %d' font-family='sans-serif' role='img'><title>%s</title>", WIDTH, HEIGHT, WIDTH,
                HEIGHT, esc(title)));
        s.append(fmt("<text x='%d' y='%d' font-size='12' font-weight='bold'>%s</text>", LEFT, TITLE_Y, esc(title)));
        return s;
    }

    private static void background(StringBuilder s, int seconds, List<Phase> phases) {
        int i = 0;
        for (Phase p : phases) {
            double x0 = x(p.startNanos() / 1e9, seconds);
            double x1 = x(p.endNanos() / 1e9, seconds);
            s.append(fmt("<rect x='%.1f' y='%d' width='%.1f' height='%d' fill='%s'/>", x0, TOP, x1 - x0,
                    HEIGHT - TOP - BOTTOM, i++ % 2 == 0 ? "#f6f6f6" : "#ececec"));
            s.append(fmt("<text x='%.1f' y='%d' font-size='8' fill='#777'>%s</text>", x0 + 2, TOP + 9, esc(p.name())));
        }
        axis(s, seconds, HEIGHT);
    }

    private static void axis(StringBuilder s, int seconds, int height) {
        int step = seconds <= 20 ? 2 : seconds <= 60 ? 5 : seconds <= 180 ? 15 : 60;
        for (int t = 0; t <= seconds; t += step) {
            s.append(fmt("<text x='%.1f' y='%d' text-anchor='middle' font-size='10'>%ds</text>", x(t, seconds),
                    height - 6, t));
        }
    }

    private static void legend(StringBuilder s, List<Line> lines) {
        double x = WIDTH - RIGHT;
        for (int i = lines.size() - 1; i >= 0; i--) {
            Line l = lines.get(i);
            x -= 18 + 6.2 * l.name().length(); // swatch, gap, text (about 6 px a character at 10 px), space
            s.append(fmt("<rect x='%.1f' y='%d' width='9' height='9' fill='%s'/>", x, LEGEND_Y - 8, l.color()));
            s.append(fmt("<text x='%.1f' y='%d' font-size='10'>%s</text>", x + 11, LEGEND_Y, esc(l.name())));
        }
    }

    private static void polyline(StringBuilder s, StringBuilder points, String color) {
        if (points.length() > 0) {
            s.append(fmt("<polyline points='%s' fill='none' stroke='%s' stroke-width='1.8'/>", points.toString().trim(),
                    color));
        }
    }

    private static double x(double second, int seconds) {
        return LEFT + (WIDTH - LEFT - RIGHT) * second / seconds;
    }

    private static String label(double v) {
        return v >= 10 || v == 0 ? fmt("%.0f", v) : fmt("%.1f", v);
    }

    /** Escapes text for XML and HTML. */
    static String esc(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")
                .replace("\"", "&quot;");
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }
}
