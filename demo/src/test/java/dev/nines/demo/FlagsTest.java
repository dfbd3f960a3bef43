package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class FlagsTest {

    @Test
    void noFlagsPlayTheFullScriptFor42SecondsPerRun() throws Exception {
        Flags.Parsed p = Flags.parse();
        assertFalse(p.help());
        assertEquals(Scenario.FULL, p.config().scenario);
        assertEquals(Duration.ofSeconds(42), p.config().runLength);
        assertTrue(p.config().console);
    }

    @Test
    void everyFlagIsRead() throws Exception {
        GameConfig c = Flags.parse("--scenario", "SPIKE", "--duration", "20s", "--out", "/tmp/x", "--seed", "42",
                "--quiet").config();
        assertEquals(Scenario.SPIKE, c.scenario);
        assertEquals(Duration.ofSeconds(20), c.runLength);
        assertEquals(Path.of("/tmp/x"), c.out);
        assertEquals(42, c.seed);
        assertFalse(c.console);
    }

    @Test
    void flagsMayUseEqualsSigns() throws Exception {
        GameConfig c = Flags.parse("--scenario=outage", "--duration=2500ms").config();
        assertEquals(Scenario.OUTAGE, c.scenario);
        assertEquals(Duration.ofMillis(2500), c.runLength);
    }

    @Test
    void durationsTakeMillisecondsSecondsAndMinutes() throws Exception {
        assertEquals(Duration.ofMillis(2500), Flags.duration("2500ms"));
        assertEquals(Duration.ofSeconds(20), Flags.duration("20s"));
        assertEquals(Duration.ofMinutes(2), Flags.duration("2m"));
    }

    @Test
    void quickIsATwelveSecondRun() throws Exception {
        assertEquals(Flags.QUICK, Flags.parse("--quick").config().runLength);
    }

    @Test
    void helpIsHonoured() throws Exception {
        assertTrue(Flags.parse("--help").help());
        assertTrue(Flags.parse("-h").help());
    }

    @Test
    void unknownFlagIsNamed() {
        Flags.UsageException e = assertThrows(Flags.UsageException.class, () -> Flags.parse("--fast"));
        assertEquals("unknown option '--fast'", e.getMessage());
    }

    @Test
    void badScenarioListsTheChoices() {
        Flags.UsageException e = assertThrows(Flags.UsageException.class, () -> Flags.parse("--scenario", "party"));
        assertEquals("--scenario must be one of full, spike, abuse, outage but was 'party'", e.getMessage());
    }

    @Test
    void badDurationsAreExplained() {
        assertEquals("--duration must be a whole number of ms, s or m (e.g. 20s) but was '20 seconds'",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--duration", "20 seconds")).getMessage());
        assertEquals("--duration must be from 2s to 30m but was '1s'",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--duration", "1s")).getMessage());
        assertEquals("--duration must be from 2s to 30m but was '31m'",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--duration=31m")).getMessage());
    }

    @Test
    void missingValueIsNamed() {
        assertEquals("--duration needs a value",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--duration")).getMessage());
        assertEquals("--out needs a value",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--out", "--quick")).getMessage());
    }

    @Test
    void switchesRefuseAValue() {
        assertEquals("--quick takes no value but was given 'x'",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--quick=x")).getMessage());
        assertEquals("--quiet takes no value but was given 'false'",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--quiet=false")).getMessage());
        assertEquals("--help takes no value but was given ''",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--help=")).getMessage());
    }

    @Test
    void mainPrintsTheUsageWhenASwitchIsGivenAValue() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--quick=no"}, System.out, new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("error: --quick takes no value but was given 'no'" + System.lineSeparator()), text);
        assertTrue(text.contains("Usage:"), text);
    }

    @Test
    void badSeedIsNamed() {
        assertEquals("--seed must be a whole number but was 'x'",
                assertThrows(Flags.UsageException.class, () -> Flags.parse("--seed", "x")).getMessage());
    }

    @Test
    void usageListsEveryFlagAndScenario() {
        String usage = Flags.usage();
        for (String flag : new String[] {"--scenario", "--duration", "--quick", "--out", "--seed", "--quiet",
                "--help", "exec:java"}) {
            assertTrue(usage.contains(flag), flag);
        }
        for (Scenario s : Scenario.values()) {
            assertTrue(usage.contains(s.flag() + " "), s.flag());
        }
    }

    @Test
    void mainExitsWithTwoAndPrintsTheErrorAndUsageOnABadFlag() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--bogus"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, status);
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("error: unknown option '--bogus'"), text);
        assertTrue(text.contains("Usage:"), text);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void mainPrintsHelpAndExitsZero() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = Main.run(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                System.err);
        assertEquals(0, status);
        assertTrue(out.toString(StandardCharsets.UTF_8).startsWith("Usage:"));
    }
}
