package dev.nines.benchmarks.report;

import dev.nines.benchmarks.report.Doc.Block;
import dev.nines.benchmarks.report.Doc.Bullets;
import dev.nines.benchmarks.report.Doc.Chart;
import dev.nines.benchmarks.report.Doc.Heading;
import dev.nines.benchmarks.report.Doc.Preformatted;
import dev.nines.benchmarks.report.Doc.Table;
import dev.nines.benchmarks.report.Doc.Text;

/**
 * Renders a {@link Doc} as one self-contained HTML page: styles inline, charts inlined as SVG, no
 * external resources, so it opens from the file system in any browser. Stateless and thread-safe.
 */
public final class HtmlWriter {

    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
            table{border-collapse:collapse;margin:0.5rem 0 1.5rem}
            th,td{border:1px solid #ccc;padding:0.25rem 0.6rem}
            th{background:#f3f3f3}
            td.n{text-align:right;font-variant-numeric:tabular-nums}
            code{background:#f3f3f3;padding:0 0.2rem}
            pre{background:#f3f3f3;padding:0.5rem;overflow-x:auto}
            .chart{margin:0.5rem 0 1.5rem}
            """;

    private HtmlWriter() {
    }

    /** Returns the HTML page for {@code doc}, titled {@code title}. */
    public static String render(Doc doc, String title) {
        StringBuilder out = new StringBuilder();
        out.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(escape(title)).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n");
        for (Block block : doc.blocks()) {
            if (block instanceof Heading h) {
                out.append("<h").append(h.level()).append(" id=\"").append(h.id()).append("\">")
                        .append(inline(h.text())).append("</h").append(h.level()).append(">\n");
            } else if (block instanceof Text t) {
                out.append("<p>").append(inline(t.text())).append("</p>\n");
            } else if (block instanceof Bullets b) {
                out.append("<ul>\n");
                b.items().forEach(item -> out.append("<li>").append(inline(item)).append("</li>\n"));
                out.append("</ul>\n");
            } else if (block instanceof Preformatted p) {
                out.append("<pre>").append(escape(p.text().stripTrailing())).append("</pre>\n");
            } else if (block instanceof Table t) {
                table(out, t);
            } else if (block instanceof Chart c) {
                String svg = c.svg().replaceFirst("^<\\?xml[^>]*>\\s*", "");
                out.append("<div class=\"chart\">").append(svg).append("</div>\n");
            }
        }
        return out.append("</body>\n</html>\n").toString();
    }

    private static void table(StringBuilder out, Table t) {
        out.append("<table>\n<tr>");
        t.header().forEach(h -> out.append("<th>").append(inline(h)).append("</th>"));
        out.append("</tr>\n");
        for (var row : t.rows()) {
            out.append("<tr>");
            for (int i = 0; i < row.size(); i++) {
                out.append(t.numeric().get(i) ? "<td class=\"n\">" : "<td>")
                        .append(inline(row.get(i))).append("</td>");
            }
            out.append("</tr>\n");
        }
        out.append("</table>\n");
    }

    /** Escapes text and turns {@code `code`} spans and {@code **bold**} into HTML. */
    static String inline(String text) {
        return escape(text)
                .replaceAll("`([^`]*)`", "<code>$1</code>")
                .replaceAll("\\*\\*([^*]+)\\*\\*", "<b>$1</b>");
    }

    /** Escapes the five XML special characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }
}
