package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.platform.commons.util.ReflectionUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class NinesAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class));

    @Test
    void autoConfigurationLoads() {
        runner.run(context -> assertThat(context).hasSingleBean(NinesAutoConfiguration.class));
    }

    @Test
    void testsRunOnSpringBootsJUnitNotTheRootsJUnit5() {
        // spring-boot-dependencies 4.0 manages JUnit Jupiter 6; the root's JUnit 5 BOM must not reach here
        String version = ReflectionUtils.class.getPackage().getImplementationVersion();
        assertThat(version).startsWith("6.");
    }
}
