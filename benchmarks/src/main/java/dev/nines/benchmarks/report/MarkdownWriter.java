package dev.nines.benchmarks.report;

import dev.nines.benchmarks.report.Doc.Block;
import dev.nines.benchmarks.report.Doc.Bullets;
import dev.nines.benchmarks.report.Doc.Chart;
import dev.nines.benchmarks.report.Doc.Heading;
import dev.nines.benchmarks.report.Doc.Preformatted;
import dev.nines.benchmarks.report.Doc.Table;
import dev.nines.benchmarks.report.Doc.Text;
import java.util.List;

/**
 * Renders a {@link Doc} as GitHub-flavoured Markdown; charts become image links to
 * {@code charts/<file>}. Stateless and thread-safe.
 */
public final class MarkdownWriter {

    private MarkdownWriter() {
    }

    /** Returns the Markdown text of {@code doc}. */
    public static String render(Doc doc) {
        StringBuilder out = new StringBuilder();
        for (Block block : doc.blocks()) {
            if (block instanceof Heading h) {
                out.append("#".repeat(h.level())).append(' ').append(h.text()).append("\n\n");
            } else if (block instanceof Text t) {
                out.append(t.text()).append("\n\n");
            } else if (block instanceof Bullets b) {
                b.items().forEach(item -> out.append("- ").append(item).append('\n'));
                out.append('\n');
            } else if (block instanceof Preformatted p) {
                out.append("```text\n").append(p.text().stripTrailing()).append("\n```\n\n");
            } else if (block instanceof Table t) {
                table(out, t);
            } else if (block instanceof Chart c) {
                out.append("![").append(c.title()).append("](charts/").append(c.file()).append(")\n\n");
            }
        }
        return out.toString();
    }

    private static void table(StringBuilder out, Table t) {
        row(out, t.header());
        out.append('|');
        for (boolean numeric : t.numeric()) {
            out.append(numeric ? " ---: |" : " --- |");
        }
        out.append('\n');
        t.rows().forEach(r -> row(out, r));
        out.append('\n');
    }

    private static void row(StringBuilder out, List<String> cells) {
        out.append('|');
        for (String cell : cells) {
            out.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        out.append('\n');
    }
}
