package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.Priority;
import dev.nines.slo.SloStatus;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.api.Test;

/**
 * A short game day on loopback, in real time, with the shipped settings: a 3x spike (225
 * requests/s against a capacity of about 148), 20 clients limited to 25 requests/s each. Only the
 * run length is shorter: the {@code spike} scenario over 10 s, so the spike lasts 5 s.
 *
 * <p>P0 availability is judged on the requests sent during the spike, not over the whole run,
 * where the calm phases would dilute it. Without nines the unbounded queue grows by about 77
 * requests a second, so after about 2 s every request waits longer than the client's 1 s timeout
 * and the rest of the spike is lost (about 40% is typical; a slower, shared machine only makes it
 * worse). With nines, P0 must stay above 99%.
 */
class GameDayTest {

    @Test
    void ninesKeepsCheckoutAvailableThroughTheDefaultSpikeThatSinksTheUnprotectedShop() throws Exception {
        GameConfig config = GameConfig.builder()
                .scenario(Scenario.SPIKE)
                .runLength(Duration.ofSeconds(10)) // 2.5 s normal, 5 s spike, 2.5 s recovery
                .console(false)
                .build();
        assertEquals(3, config.spikeFactor, "the shipped spike");
        assertEquals(25, config.clientLimitPerSecond, "the shipped per-client limit");

        GameReport report = new GameDay(config, null).play();

        RunReport.Stats nines = report.nines().stats(Priority.P0, "spike");
        RunReport.Stats none = report.none().stats(Priority.P0, "spike");
        String detail = String.format(Locale.ROOT, "P0 during the spike: nines %d/%d, none %d/%d%n",
                nines.served(), nines.sent(), none.served(), none.sent()) + MarkdownReport.headline(report);
        assertTrue(nines.sent() >= 80, "enough P0 requests to judge\n" + detail);
        assertTrue(none.sent() >= 80, "enough P0 requests to judge\n" + detail);
        assertTrue(nines.availability() > 99.0, detail);
        assertTrue(none.availability() < 90.0, detail);
        assertTrue(report.nines().stats(Priority.P3, "spike").count(Result.SHED) > 0,
                "nines made room by shedding P3\n" + detail);

        // the SLO table comes from nines-slo, fed with every request the game day recorded: it agrees
        // with the game day's own counts, run by run and priority by priority
        for (RunReport run : new RunReport[] {report.nines(), report.none()}) {
            for (Priority p : Priority.values()) {
                SloStatus slo = run.slos().status(p);
                RunReport.Stats all = run.stats(p);
                String where = run.label() + " " + p + "\n" + detail;
                assertEquals(all.sent(), slo.total(), where);
                assertEquals(all.served(), slo.good(), where);
                assertEquals(all.availability(), 100 * slo.attainment(), 1e-9, where);
                assertEquals(all.budgetBurned(RunReport.SLO.get(p)), 100 * (1 - slo.budgetRemaining()), 1e-6, where);
            }
        }
        // the unprotected shop loses most of the spike's P0 requests: its fast-burn page fires
        assertFalse(report.none().slos().firedDuring(Priority.P0, 0).isEmpty(), "page-fast without nines\n" + detail);
    }
}
