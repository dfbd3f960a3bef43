package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Compiles every {@code ```java} block of the README and of the migration guide against all
 * shipped modules, so a snippet that no longer compiles fails {@code verify}: the documents cannot
 * drift from the API unnoticed. (Code a document shows that is not nines', such as Resilience4j's in
 * the migration guide, sits in {@code ```text} blocks.)
 *
 * <p>The wrapping rule, one generated class per block:
 * <ul>
 *   <li>The block's leading {@code import} lines (blank lines between them allowed) are the
 *       generated file's imports, and the only ones: a snippet shows every import it needs, so a
 *       reader can copy it as it is.</li>
 *   <li>Everything after them is the body of a block lambda in a method of the generated class:
 *       a sequence of statements, run in order. Local records, classes and interfaces are
 *       statements too (Java 16+), so a snippet declares the types and variables it uses (a
 *       {@code Receipt}, a {@code client}) where it uses them. The lambda is passed to one of two
 *       overloads, one for a body that completes normally and one for a body that returns a
 *       value, so a snippet may end with {@code return}, as a request handler does.</li>
 *   <li>The file is compiled with {@code --release 17}, every lint and {@code -Werror}, like the
 *       modules; errors are reported at the README line they come from.</li>
 * </ul>
 * The snippets are compiled, never run (one binds a server port, another registers a shutdown
 * hook); {@code web}'s {@code ReadmeExamplesTest} checks the README's claims about them at run
 * time. Thread safety: a JUnit test, not shared.
 */
class ReadmeSnippetsTest {

    /** The repository root, where the README is; the demo's tests run in {@code demo/}. */
    private static final Path ROOT = Path.of(System.getProperty("nines.readme", "../README.md"))
            .toAbsolutePath().getParent();

    /** Where the generated sources and classes go, under the demo's build directory. */
    private static final Path OUT = Path.of(System.getProperty("nines.readmeSnippets", "target/readme-snippets"));

    /** One {@code ```java} block: where its code starts in the README, and its lines. */
    record Snippet(int number, int firstLine, List<String> lines) {
    }

    /** A generated source and, for each of its lines, the README line it came from (0: generated). */
    record Generated(Snippet snippet, String className, String source, int[] readmeLine) {
    }

    @ParameterizedTest
    @ValueSource(strings = {"README.md", "docs/migrating-from-resilience4j.md"})
    void everyJavaBlockCompilesAgainstTheShippedModules(String document) throws IOException {
        Path path = ROOT.resolve(document);
        List<Snippet> snippets = snippets(Files.readAllLines(path, StandardCharsets.UTF_8));
        assertFalse(snippets.isEmpty(), "no ```java block found in " + path);

        List<Generated> generated = new ArrayList<>();
        String slug = path.getFileName().toString().replaceAll("\\.md$", "");
        Path sources = OUT.resolve(slug).resolve("src");
        Path classes = OUT.resolve(slug).resolve("classes");
        Files.createDirectories(sources);
        Files.createDirectories(classes);
        List<Path> files = new ArrayList<>();
        for (Snippet snippet : snippets) {
            Generated g = generate(snippet);
            generated.add(g);
            Path file = sources.resolve(g.className() + ".java");
            Files.writeString(file, g.source(), StandardCharsets.UTF_8);
            files.add(file);
        }

        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        boolean compiled;
        try (StandardJavaFileManager fileManager = javac.getStandardFileManager(diagnostics, Locale.ROOT, StandardCharsets.UTF_8)) {
            List<String> options = List.of("--release", "17", "-proc:none", "-implicit:none",
                    "-Xlint:all", "-Werror", "-encoding", "UTF-8",
                    "-classpath", testClassPath(), "-d", classes.toString());
            compiled = javac.getTask(null, fileManager, diagnostics, options, null,
                    fileManager.getJavaFileObjectsFromPaths(files)).call();
        }

        StringBuilder report = new StringBuilder();
        for (Diagnostic<? extends JavaFileObject> d : diagnostics.getDiagnostics()) {
            if (d.getKind() == Diagnostic.Kind.NOTE) {
                continue;
            }
            report.append(where(d, generated, document)).append(": ").append(d.getKind().toString().toLowerCase(Locale.ROOT))
                    .append(": ").append(d.getMessage(Locale.ROOT)).append('\n');
        }
        if (!compiled || report.length() > 0) {
            fail(document + " snippets do not compile (generated sources in " + sources.toAbsolutePath() + "):\n" + report);
        }
        assertTrue(Files.exists(classes.resolve(generated.get(0).className() + ".class")),
                "javac reported success but wrote no class for the first snippet");
    }

    /** Every {@code ```java} block, numbered from 1 in README order. */
    static List<Snippet> snippets(List<String> readme) {
        List<Snippet> snippets = new ArrayList<>();
        for (int i = 0; i < readme.size(); i++) {
            if (!readme.get(i).strip().equals("```java")) {
                continue;
            }
            int start = i + 1;
            int end = start;
            while (end < readme.size() && !readme.get(end).strip().equals("```")) {
                end++;
            }
            if (end == readme.size()) {
                throw new AssertionError("line " + (i + 1) + ": ```java block never closed");
            }
            snippets.add(new Snippet(snippets.size() + 1, start + 1, List.copyOf(readme.subList(start, end))));
            i = end;
        }
        return snippets;
    }

    /** Applies the wrapping rule of the class javadoc. */
    static Generated generate(Snippet snippet) {
        List<String> lines = snippet.lines();
        int body = 0;
        while (body < lines.size() && (lines.get(body).isBlank() || lines.get(body).startsWith("import "))) {
            body++;
        }
        String className = "ReadmeSnippet" + snippet.number();
        StringBuilder source = new StringBuilder();
        List<Integer> origin = new ArrayList<>();
        for (int i = 0; i < body; i++) {
            line(source, origin, lines.get(i), snippet.firstLine() + i);
        }
        line(source, origin, "/** README.md's java block " + snippet.number() + ", from line " + snippet.firstLine() + ". */", 0);
        line(source, origin, "final class " + className + " {", 0);
        line(source, origin, "    interface Statements { void run() throws Exception; }", 0);
        line(source, origin, "    interface Returning { Object run() throws Exception; }", 0);
        line(source, origin, "    static void snippet(Statements body) { }", 0);
        line(source, origin, "    static void snippet(Returning body) { }", 0);
        line(source, origin, "    static void compile() {", 0);
        line(source, origin, "        snippet(() -> {", 0);
        for (int i = body; i < lines.size(); i++) {
            line(source, origin, lines.get(i), snippet.firstLine() + i);
        }
        line(source, origin, "        });", 0);
        line(source, origin, "    }", 0);
        line(source, origin, "}", 0);
        int[] readmeLine = origin.stream().mapToInt(Integer::intValue).toArray();
        return new Generated(snippet, className, source.toString(), readmeLine);
    }

    private static void line(StringBuilder source, List<Integer> origin, String text, int readmeLine) {
        source.append(text).append('\n');
        origin.add(readmeLine);
    }

    /** "README.md:123" for a line that came from the document, else the generated file and line. */
    private static String where(Diagnostic<? extends JavaFileObject> d, List<Generated> generated, String document) {
        if (d.getSource() == null) {
            return "javac";
        }
        String name = Path.of(d.getSource().toUri()).getFileName().toString();
        int line = (int) d.getLineNumber();
        for (Generated g : generated) {
            if (name.equals(g.className() + ".java")) {
                int readme = line >= 1 && line <= g.readmeLine().length ? g.readmeLine()[line - 1] : 0;
                return readme > 0
                        ? document + ":" + readme + " (java block " + g.snippet().number() + ")"
                        : name + ":" + line + " (generated around java block " + g.snippet().number() + ")";
            }
        }
        return name + ":" + line;
    }

    /** The test class path Surefire runs with: every shipped module and its dependencies. */
    private static String testClassPath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
