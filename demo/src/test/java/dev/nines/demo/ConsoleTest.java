package dev.nines.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.nines.ManualTicker;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-second console line shows every breaker that is not closed, whichever dependency it guards. */
class ConsoleTest {

    private static Map<String, String> states(String payments, String inventory, String catalog) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(Downstream.PAYMENTS, payments);
        m.put(Downstream.INVENTORY, inventory);
        m.put(Downstream.CATALOG, catalog);
        return m;
    }

    @Test
    void breakersColumnNamesEveryBreakerThatIsNotClosed() {
        assertEquals("all CLOSED", Console.breakers(states("CLOSED", "CLOSED", "CLOSED")));
        assertEquals("payments:OPEN", Console.breakers(states("OPEN", "CLOSED", "CLOSED")),
                "not only the catalog's");
        assertEquals("inventory:HALF_OPEN,catalog:OPEN", Console.breakers(states("CLOSED", "HALF_OPEN", "OPEN")));
        assertEquals("-", Console.breakers(Map.of()), "an unprotected run has no breakers");
    }

    @Test
    void theLineCarriesTheBreakersAndTheTier() {
        Recorder recorder = new Recorder(new ManualTicker(), 2);
        String line = Console.line("nines", new Tick(0, "outage", 1, 0, 1, 10, "FULL",
                states("OPEN", "CLOSED", "CLOSED")), recorder);
        assertTrue(line.endsWith("  payments:OPEN     FULL"), line);
        assertEquals(Console.header().indexOf("breakers"), line.indexOf("payments:OPEN"), "under its heading");
        assertEquals(Console.header().indexOf("tier"), line.indexOf("FULL"), "under its heading");
    }
}
