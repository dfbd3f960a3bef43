package dev.nines.demo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes the report files of a game day into a folder. */
final class ReportFiles {

    /** The HTML report's file name. */
    static final String HTML = "game-day.html";
    /** The Markdown summary's file name. */
    static final String MARKDOWN = "game-day.md";

    private ReportFiles() {
    }

    /** Writes both files into {@code dir} (created if missing) and returns it. */
    static Path write(GameReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(HTML), HtmlReport.render(report), StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(MARKDOWN), MarkdownReport.render(report), StandardCharsets.UTF_8);
        return dir;
    }
}
