package dev.nines.slo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.nines.ManualTicker;
import dev.nines.Policy;
import dev.nines.annotation.PolicyRegistry;
import dev.nines.metrics.MetricsSink;
import dev.nines.retry.RetryBudget;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * nines-shedding is an optional dependency of nines-slo: {@link BudgetProtection} with retry-budget
 * rules alone must load and work where it is absent. Runs such a protection in a class loader that
 * sees nines-core, nines-slo (main and test classes) and slf4j, and not nines-shedding.
 */
class WithoutSheddingTest {

    /** Run inside the loader without nines-shedding: a fast burn tightens a budget. */
    public static final class RetryOnly implements Supplier<String> {
        @Override
        public String get() {
            ManualTicker ticker = new ManualTicker();
            RetryBudget budget = RetryBudget.builder("payments").ticker(ticker).metrics(MetricsSink.noop()).build();
            SloRegistry slos = new SloRegistry();
            Slo slo = slos.add(Slo.availability("checkout").objective(0.999).ticker(ticker).build());
            slos.addListener(BudgetProtection.builder(new PolicyRegistry().register(budget))
                    .tightenRetryBudget("checkout", "payments", 0.01).build());
            for (int i = 0; i < 1000; i++) {
                slo.record(i % 10 != 0);
            }
            return slos.evaluate().get(0).state() + " " + budget.config().retryRatio();
        }
    }

    @Test
    void retryBudgetRulesNeedNoSheddingOnThePath() throws Exception {
        URL[] path = {location(BudgetProtection.class), location(WithoutSheddingTest.class), location(Policy.class),
                location(LoggerFactory.class)};
        try (URLClassLoader loader = new URLClassLoader(path, ClassLoader.getPlatformClassLoader())) {
            assertThrows(ClassNotFoundException.class, () -> Class.forName("dev.nines.shedding.Tier", false, loader));
            @SuppressWarnings("unchecked")
            Supplier<String> run = (Supplier<String>) Class.forName(RetryOnly.class.getName(), true, loader)
                    .getConstructor().newInstance();
            assertEquals("page 0.01", run.get());
        }
    }

    private static URL location(Class<?> c) {
        return c.getProtectionDomain().getCodeSource().getLocation();
    }
}
