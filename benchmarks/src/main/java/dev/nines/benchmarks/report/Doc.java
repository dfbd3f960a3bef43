package dev.nines.benchmarks.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The report as a list of blocks, written once and rendered both as Markdown
 * ({@link MarkdownWriter}) and as HTML ({@link HtmlWriter}). Text may contain {@code `code`}
 * spans; nothing else is interpreted.
 *
 * <p>Not thread-safe: build it on one thread, then render.
 */
public final class Doc {

    /** One piece of the report. */
    public sealed interface Block permits Heading, Text, Bullets, Table, Chart, Preformatted {
    }

    /** A heading, level 1 to 4. */
    public record Heading(int level, String text, String id) implements Block {
    }

    /** A paragraph. */
    public record Text(String text) implements Block {
    }

    /** A bulleted list. */
    public record Bullets(List<String> items) implements Block {
    }

    /** Text shown as it is, in a monospaced block: a tool's output. */
    public record Preformatted(String text) implements Block {
    }

    /**
     * A table; {@code numeric} marks right-aligned columns.
     *
     * @param header column titles
     * @param numeric per column, whether it holds numbers (right-aligned)
     * @param rows cells, as many per row as there are columns
     */
    public record Table(List<String> header, List<Boolean> numeric, List<List<String>> rows) implements Block {
    }

    /**
     * An SVG chart, written to {@code charts/<file>} and linked from Markdown, inlined in HTML.
     *
     * @param file file name under {@code charts/}, ending in {@code .svg}
     * @param title alternative text
     * @param svg the SVG document
     */
    public record Chart(String file, String title, String svg) implements Block {
    }

    private final List<Block> blocks = new ArrayList<>();

    /** Adds a heading whose anchor id is derived from its text. */
    public Doc heading(int level, String text) {
        blocks.add(new Heading(level, text, anchor(text)));
        return this;
    }

    /** Adds a paragraph. */
    public Doc text(String text) {
        blocks.add(new Text(text));
        return this;
    }

    /** Adds a bulleted list. */
    public Doc bullets(List<String> items) {
        blocks.add(new Bullets(List.copyOf(items)));
        return this;
    }

    /** Adds a monospaced block shown as it is. */
    public Doc preformatted(String text) {
        blocks.add(new Preformatted(text));
        return this;
    }

    /** Adds a table. */
    public Doc table(Table table) {
        blocks.add(table);
        return this;
    }

    /** Adds a chart. */
    public Doc chart(String file, String title, String svg) {
        blocks.add(new Chart(file, title, svg));
        return this;
    }

    /** The blocks in order. */
    public List<Block> blocks() {
        return List.copyOf(blocks);
    }

    /** A GitHub-style anchor: lower case, letters, digits and dashes. */
    static String anchor(String text) {
        return text.toLowerCase(java.util.Locale.ROOT)
                .replaceAll("[^a-z0-9 -]", "")
                .trim()
                .replace(' ', '-');
    }
}
