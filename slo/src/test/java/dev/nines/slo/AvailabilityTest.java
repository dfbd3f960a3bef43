package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Exact values of the availability arithmetic: parsing, nines, composition, downtime, budgets. */
class AvailabilityTest {

    @Test
    void printsAsAPercentageWithoutTrailingZeros() {
        assertEquals("99.95%", Availability.of(0.9995).toString());
        assertEquals("99.9%", Availability.of(new BigDecimal("0.99900")).toString());
        assertEquals("100%", Availability.PERFECT.toString());
        assertEquals("0%", Availability.NONE.toString());
        assertEquals("50%", Availability.of(0.5).toString());
        assertEquals("99.999%", Availability.ofNines(5).toString());
    }

    @Test
    void ninesAreOneMinusAPowerOfTen() {
        assertEquals(Availability.of(new BigDecimal("0.999")), Availability.ofNines(3));
        assertEquals(Availability.NONE, Availability.ofNines(0));
        assertEquals(3.0, Availability.ofNines(3).nines());
        assertEquals(30.0, Availability.ofNines(30).nines());
        assertEquals(Double.POSITIVE_INFINITY, Availability.PERFECT.nines());
        assertEquals(0.0, Availability.NONE.nines());
        assertEquals(3.30103, Availability.of(0.9995).nines(), 1e-5); // -log10(0.0005)
    }

    @Test
    void parsesFractionsAndPercentages() {
        assertEquals(Availability.of(0.9995), Availability.parse("99.95%"));
        assertEquals(Availability.of(0.9995), Availability.parse(" 0.9995 "));
        assertEquals(Availability.PERFECT, Availability.parse("100 %"));
        assertEquals(new BigDecimal("0.9995"), Availability.parse("99.95%").fraction());
    }

    @Test
    void valuesOutsideZeroToOneFailNamingTheValue() {
        assertEquals("availability must be within [0, 1] but was 1.5",
                assertThrows(IllegalArgumentException.class, () -> Availability.of(1.5)).getMessage());
        assertEquals("availability must be within [0, 1] but was -0.001",
                assertThrows(IllegalArgumentException.class, () -> Availability.of(-0.001)).getMessage());
        assertEquals("availability must be within [0, 1] but was NaN",
                assertThrows(IllegalArgumentException.class, () -> Availability.of(Double.NaN)).getMessage());
        assertEquals("availability must be within [0, 1] but was Infinity",
                assertThrows(IllegalArgumentException.class, () -> Availability.of(Double.POSITIVE_INFINITY)).getMessage());
        assertEquals("availability must be within [0, 1] but was 1.0000000001",
                assertThrows(IllegalArgumentException.class, () -> Availability.of(new BigDecimal("1.0000000001"))).getMessage());
        assertEquals("availability must be within [0%, 100%] but was '100.01%'",
                assertThrows(IllegalArgumentException.class, () -> Availability.parse("100.01%")).getMessage());
        assertEquals("availability must be within [0, 1] but was 99.9",
                assertThrows(IllegalArgumentException.class, () -> Availability.parse("99.9")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> Availability.parse("three nines")).getMessage()
                .endsWith("but was 'three nines'"));
        assertEquals("nines must be within [0, 30] but was 31",
                assertThrows(IllegalArgumentException.class, () -> Availability.ofNines(31)).getMessage());
        assertEquals("nines must be within [0, 30] but was -1",
                assertThrows(IllegalArgumentException.class, () -> Availability.ofNines(-1)).getMessage());
    }

    @Test
    void seriesMultipliesAvailabilitiesAndParallelMultipliesUnavailabilities() {
        Availability threeNines = Availability.ofNines(3);
        assertEquals(new BigDecimal("0.998001"), threeNines.inSeriesWith(threeNines).fraction());
        assertEquals(Availability.of(0.9999), Availability.of(0.99).inParallelWith(Availability.of(0.99)));
        assertEquals(Availability.of(0.998001), Availability.series(List.of(threeNines, threeNines)));
        assertEquals(Availability.ofNines(9), Availability.parallel(List.of(threeNines, threeNines, threeNines)));
        assertEquals(Availability.PERFECT, Availability.series(List.of()));
        assertEquals(Availability.NONE, Availability.parallel(List.of()));
    }

    @Test
    void allowedDowntimeIsTheUnavailabilityOfThePeriodFlooredToTheNanosecond() {
        Availability threeNines = Availability.ofNines(3);
        assertEquals(Duration.ofMillis(86_400), threeNines.downtimePerDay());
        assertEquals(Duration.ofMinutes(43).plusSeconds(12), threeNines.downtimePerMonth());
        assertEquals(Duration.ofHours(8).plusMinutes(45).plusSeconds(36), threeNines.downtimePerYear());
        assertEquals(Duration.ofMillis(8_640), Availability.ofNines(4).downtimePerDay());
        assertEquals(Duration.ofMinutes(5).plusMillis(15_360), Availability.ofNines(5).downtimePerYear());
        assertEquals(Duration.ofNanos(8_640), Availability.ofNines(10).downtimePerDay());
        assertEquals(Duration.ofNanos(1), Availability.of(0.5).downtimePer(Duration.ofNanos(3))); // 1.5 ns floored
        assertEquals(Duration.ZERO, Availability.PERFECT.downtimePerYear());
        assertEquals(Duration.ofDays(365), Availability.NONE.downtimePerYear());
        assertEquals("period must be >= 0 but was PT-1S",
                assertThrows(IllegalArgumentException.class, () -> threeNines.downtimePer(Duration.ofSeconds(-1))).getMessage());
    }

    @Test
    void errorBudgetIsTheFailuresAllowedForATrafficFloored() {
        assertEquals(10_000, Availability.ofNines(3).errorBudget(10_000_000));
        assertEquals(0, Availability.ofNines(3).errorBudget(999));
        assertEquals(1, Availability.ofNines(3).errorBudget(1_999));
        assertEquals(5_000, Availability.of(0.9995).errorBudget(10_000_000));
        assertEquals(0, Availability.ofNines(3).errorBudget(0));
        assertEquals(Long.MAX_VALUE, Availability.NONE.errorBudget(Long.MAX_VALUE));
        assertEquals("requests must be >= 0 but was -1",
                assertThrows(IllegalArgumentException.class, () -> Availability.ofNines(3).errorBudget(-1)).getMessage());
    }

    @Test
    void equalityIgnoresTrailingZerosAndOrderFollowsTheFraction() {
        Availability a = Availability.of(new BigDecimal("0.9990"));
        Availability b = Availability.of(new BigDecimal("0.999"));
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertEquals(Availability.NONE.hashCode(), Availability.of(new BigDecimal("0.000")).hashCode());
        assertNotEquals(a, Availability.of(0.9991));
        assertTrue(a.compareTo(Availability.of(0.9991)) < 0);
        assertEquals(new BigDecimal("0.001"), b.unavailability());
        assertEquals(0.999, b.doubleValue());
    }
}
