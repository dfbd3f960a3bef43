package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The README's Install section names what this build makes: its Maven snippets are the ones the
 * consumer build ({@code src/it/consumer}, run by maven-invoker-plugin) uses, word for word; its
 * version is the project's; its Gradle lines name the same artifacts; the BOM manages them all.
 * Thread safety: a JUnit test, not shared.
 */
class ReadmeInstallTest {
    private static final Path README = Path.of(System.getProperty("nines.readme", "../README.md"));
    private static final Path CONSUMER_POM = Path.of("src/it/consumer/pom.xml");
    private static final Path BOM_POM = Path.of("../bom/pom.xml");
    /** What the consumer pom holds in place of the version, filled in by the invoker. */
    private static final String VERSION_TOKEN = "@project.version@";
    private static final Pattern ARTIFACT_ID = Pattern.compile("<artifactId>([^<]+)</artifactId>");

    private final String version = System.getProperty("nines.version", "");

    @Test
    void theMavenSnippetsAreTheConsumerBuildsPomWordForWord() throws IOException {
        List<String> consumer = stripped(Files.readAllLines(CONSUMER_POM, StandardCharsets.UTF_8));
        List<List<String>> snippets = blocks("xml");
        assertEquals(2, snippets.size(), "Install: the BOM import, then the dependencies");
        for (List<String> snippet : snippets) {
            List<String> expected = new ArrayList<>();
            for (String line : stripped(snippet)) {
                expected.add(line.replace("<version>" + version + "</version>", "<version>" + VERSION_TOKEN + "</version>"));
            }
            assertTrue(Collections.indexOfSubList(consumer, expected) >= 0,
                    "README Install snippet not found, line for line, in " + CONSUMER_POM + ":\n" + String.join("\n", expected));
        }
    }

    @Test
    void theReadmeNamesThisBuildsVersion() throws IOException {
        assertFalse(version.isEmpty(), "nines.version is not set (the demo's surefire configuration sets it)");
        String bomImport = String.join("\n", blocks("xml").get(0));
        assertTrue(bomImport.contains("<artifactId>nines-bom</artifactId>") && bomImport.contains("<version>" + version + "</version>"),
                "the README's BOM import does not name nines-bom " + version + ":\n" + bomImport);
        String gradle = String.join("\n", blocks("kotlin").get(0));
        assertTrue(gradle.contains("implementation(platform(\"dev.nines:nines-bom:" + version + "\"))"),
                "the README's Gradle snippet does not import the platform dev.nines:nines-bom:" + version + ":\n" + gradle);
    }

    @Test
    void gradleAndMavenNameTheSameArtifactsAndTheBomManagesThem() throws IOException {
        Set<String> maven = artifactIds(String.join("\n", blocks("xml").get(1)));
        Set<String> gradle = new LinkedHashSet<>();
        Matcher m = Pattern.compile("implementation\\(\"dev\\.nines:([^:\"]+)\"\\)").matcher(String.join("\n", blocks("kotlin").get(0)));
        while (m.find()) {
            gradle.add(m.group(1));
        }
        assertFalse(maven.isEmpty(), "the README's Maven dependencies name no artifact");
        assertEquals(maven, gradle, "the README's Maven and Gradle snippets name different artifacts");
        Set<String> managed = artifactIds(Files.readString(BOM_POM, StandardCharsets.UTF_8));
        assertTrue(managed.containsAll(maven), "the BOM " + BOM_POM + " manages " + managed + ", not all of " + maven);
    }

    /** The fenced blocks of the given language in the README's Install section. */
    private static List<List<String>> blocks(String language) throws IOException {
        List<String> readme = Files.readAllLines(README, StandardCharsets.UTF_8);
        int start = readme.indexOf("## Install");
        assertTrue(start >= 0, "README.md has no '## Install' section");
        List<List<String>> blocks = new ArrayList<>();
        for (int i = start + 1; i < readme.size() && !readme.get(i).startsWith("## "); i++) {
            if (readme.get(i).equals("```" + language)) {
                int end = readme.subList(i + 1, readme.size()).indexOf("```") + i + 1;
                assertTrue(end > i, "README.md line " + (i + 1) + ": block never closed");
                blocks.add(List.copyOf(readme.subList(i + 1, end)));
                i = end;
            }
        }
        assertFalse(blocks.isEmpty(), "README.md's Install section has no ```" + language + " block");
        return blocks;
    }

    private static List<String> stripped(List<String> lines) {
        return lines.stream().map(String::strip).filter(l -> !l.isEmpty()).toList();
    }

    private static Set<String> artifactIds(String xml) {
        Set<String> ids = new LinkedHashSet<>();
        Matcher m = ARTIFACT_ID.matcher(xml);
        while (m.find()) {
            ids.add(m.group(1));
        }
        return ids;
    }
}
