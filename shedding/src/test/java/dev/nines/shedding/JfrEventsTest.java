package dev.nines.shedding;

import static dev.nines.Priority.P2;
import static dev.nines.Priority.P3;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import dev.nines.circuitbreaker.CircuitBreaker;
import dev.nines.metrics.InMemoryMetrics;
import dev.nines.metrics.Metrics;
import dev.nines.metrics.Outcome;
import dev.nines.shedding.limit.ConcurrencyLimit;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * nines' JFR events, read back from a real recording: a breaker on the default sink (set late) and
 * a load shedder with its own sink each emit once per rejection, transition and tier change.
 */
class JfrEventsTest {

    @AfterEach
    void restoreDefault() {
        Metrics.setDefault(null);
    }

    @Test
    void aRecordingShowsRejectionsTransitionsAndTierChanges(@TempDir Path dir) throws Exception {
        ManualTicker ticker = new ManualTicker();
        CircuitBreaker breaker = CircuitBreaker.builder("jfr-cb").ticker(ticker).build();
        LoadShedder shedder = LoadShedder.builder("jfr-shed").limit(ConcurrencyLimit.fixed(10)).ticker(ticker)
                .metrics(new InMemoryMetrics(ticker, 16)).build();
        Metrics.setDefault(new InMemoryMetrics()); // behind the forwarding default: must not emit twice

        Path file = dir.resolve("nines.jfr");
        List<Long> tokens = new ArrayList<>();
        try (Recording recording = new Recording()) {
            recording.enable("dev.nines.Rejection");
            recording.enable("dev.nines.Transition");
            recording.enable("dev.nines.TierChange");
            recording.start();
            breaker.forceOpen();
            breaker.tryAcquirePermission();
            for (int i = 0; i < 7; i++) {
                tokens.add(shedder.tryAdmit(P2));
            }
            assertEquals(LoadShedder.REJECTED, shedder.tryAdmit(P3), "shed: the tier moves from FULL to REDUCED");
            recording.stop();
            recording.dump(file);
        } finally {
            for (long token : tokens) {
                shedder.release(token, Outcome.SUCCESS);
            }
        }

        List<RecordedEvent> events = RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("dev.nines."))
                .collect(Collectors.toList());
        List<String> seen = events.stream().map(JfrEventsTest::describe).collect(Collectors.toList());
        // a recording is JVM-wide: policies of earlier tests (a shedder's tier ending on the
        // scheduler's thread, say) may record too, so each check keeps this test's policies only
        assertEquals(List.of("dev.nines.Transition jfr-cb circuit_breaker CLOSED->FORCED_OPEN"),
                only(seen, "dev.nines.Transition jfr-"), seen.toString());
        assertEquals(List.of("dev.nines.Rejection jfr-cb circuit_breaker REJECTED null"),
                only(seen, "dev.nines.Rejection jfr-cb"), seen.toString());
        assertEquals(List.of("dev.nines.Rejection jfr-shed load_shedder SHED P3"),
                only(seen, "dev.nines.Rejection jfr-shed"), seen.toString());
        assertEquals(List.of("dev.nines.TierChange jfr-shed FULL->REDUCED"),
                only(seen, "dev.nines.TierChange jfr-"), seen.toString());
        assertTrue(events.stream().allMatch(e -> e.getStackTrace() == null), "no stack traces: cheap to record");
    }

    @Test
    void withoutARecordingNothingIsEmittedAndCallsStillWork() {
        CircuitBreaker breaker = CircuitBreaker.builder("jfr-off").build();
        breaker.forceOpen();
        assertEquals(false, breaker.tryAcquirePermission(), "disabled events change nothing");
    }

    private static List<String> only(List<String> seen, String prefix) {
        return seen.stream().filter(s -> s.startsWith(prefix)).collect(Collectors.toList());
    }

    private static String describe(RecordedEvent e) {
        String name = e.getEventType().getName();
        switch (name) {
            case "dev.nines.Rejection":
                return name + " " + e.getString("policy") + " " + e.getString("kind") + " "
                        + e.getString("outcome") + " " + e.getString("priority");
            case "dev.nines.Transition":
                return name + " " + e.getString("policy") + " " + e.getString("kind") + " "
                        + e.getString("fromState") + "->" + e.getString("toState");
            default:
                return name + " " + e.getString("policy") + " " + e.getString("fromTier") + "->" + e.getString("toTier");
        }
    }
}
