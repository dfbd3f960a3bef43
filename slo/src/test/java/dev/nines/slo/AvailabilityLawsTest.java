package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Duration;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Property tests of the composition laws, exact because availabilities are decimals: series and
 * parallel are commutative and associative with their identities and absorbing elements, dual to
 * each other through the complement, and bounded by their parts. jqwik prints the seed of any
 * failing try.
 */
class AvailabilityLawsTest {

    @Provide
    Arbitrary<Availability> availabilities() {
        Arbitrary<Availability> decimals = Arbitraries.integers().between(0, 1_000_000)
                .map(micros -> Availability.of(BigDecimal.valueOf(micros, 6)));
        Arbitrary<Availability> nines = Arbitraries.integers().between(0, 12).map(Availability::ofNines);
        return Arbitraries.oneOf(decimals, nines, Arbitraries.of(Availability.PERFECT, Availability.NONE));
    }

    @Property
    void seriesIsCommutativeAndAssociative(@ForAll("availabilities") Availability a, @ForAll("availabilities") Availability b,
            @ForAll("availabilities") Availability c) {
        assertEquals(a.inSeriesWith(b), b.inSeriesWith(a));
        assertEquals(a.inSeriesWith(b).inSeriesWith(c), a.inSeriesWith(b.inSeriesWith(c)));
    }

    @Property
    void parallelIsCommutativeAndAssociative(@ForAll("availabilities") Availability a, @ForAll("availabilities") Availability b,
            @ForAll("availabilities") Availability c) {
        assertEquals(a.inParallelWith(b), b.inParallelWith(a));
        assertEquals(a.inParallelWith(b).inParallelWith(c), a.inParallelWith(b.inParallelWith(c)));
    }

    @Property
    void identitiesAndAbsorbingElements(@ForAll("availabilities") Availability a) {
        assertEquals(a, a.inSeriesWith(Availability.PERFECT));
        assertEquals(Availability.NONE, a.inSeriesWith(Availability.NONE));
        assertEquals(a, a.inParallelWith(Availability.NONE));
        assertEquals(Availability.PERFECT, a.inParallelWith(Availability.PERFECT));
    }

    @Property
    void parallelIsTheComplementOfTheSeriesOfComplements(@ForAll("availabilities") Availability a,
            @ForAll("availabilities") Availability b) {
        Availability notA = Availability.of(a.unavailability());
        Availability notB = Availability.of(b.unavailability());
        assertEquals(a.inParallelWith(b).unavailability().compareTo(notA.inSeriesWith(notB).fraction()), 0);
    }

    @Property
    void seriesIsNoBetterThanItsWorstPartAndParallelNoWorseThanItsBest(@ForAll("availabilities") Availability a,
            @ForAll("availabilities") Availability b) {
        Availability worst = a.compareTo(b) <= 0 ? a : b;
        Availability best = a.compareTo(b) <= 0 ? b : a;
        assertTrue(a.inSeriesWith(b).compareTo(worst) <= 0, () -> a + " in series with " + b);
        assertTrue(a.inParallelWith(b).compareTo(best) >= 0, () -> a + " in parallel with " + b);
    }

    @Property
    void moreAvailabilityAllowsNoMoreDowntimeNorFailures(@ForAll("availabilities") Availability a,
            @ForAll("availabilities") Availability b) {
        Availability lower = a.compareTo(b) <= 0 ? a : b;
        Availability higher = a.compareTo(b) <= 0 ? b : a;
        assertTrue(higher.downtimePerMonth().compareTo(lower.downtimePerMonth()) <= 0);
        assertTrue(higher.errorBudget(123_456_789) <= lower.errorBudget(123_456_789));
        assertTrue(lower.downtimePer(Duration.ofDays(30)).compareTo(Duration.ofDays(30)) <= 0);
    }

    @Property
    void textRoundTrips(@ForAll("availabilities") Availability a) {
        assertEquals(a, Availability.parse(a.toString()));
    }
}
