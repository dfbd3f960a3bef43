package dev.nines.spring.boot.autoconfigure;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URL;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.platform.commons.util.ReflectionUtils;
import dev.nines.spring.boot.autoconfigure.internal.NinesFailureAnalyzer;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.core.io.UrlResource;
import org.springframework.core.io.support.PropertiesLoaderUtils;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.util.StringUtils;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

class NinesAutoConfigurationTest {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(NinesAutoConfiguration.class));

    @Test
    void autoConfigurationLoads() {
        runner.run(context -> assertThat(context).hasSingleBean(NinesAutoConfiguration.class));
    }

    @Test
    void theAutoConfigurationsAndTheFailureAnalyzerAreRegisteredWhereBootLooksForThem() throws IOException {
        ClassLoader loader = getClass().getClassLoader();
        assertThat(ImportCandidates.load(AutoConfiguration.class, loader).getCandidates()).contains(
                NinesMetricsAutoConfiguration.class.getName(), NinesAutoConfiguration.class.getName(),
                NinesHealthAutoConfiguration.class.getName());
        List<String> analyzers = new ArrayList<>();
        for (URL url : Collections.list(loader.getResources(SpringFactoriesLoader.FACTORIES_RESOURCE_LOCATION))) {
            String names = PropertiesLoaderUtils.loadProperties(new UrlResource(url))
                    .getProperty(FailureAnalyzer.class.getName(), "");
            analyzers.addAll(StringUtils.commaDelimitedListToSet(names));
        }
        assertThat(analyzers).contains(NinesFailureAnalyzer.class.getName());
    }

    @Test
    void testsRunOnSpringBootsJUnitNotTheRootsJUnit5() {
        // spring-boot-dependencies 4.0 manages JUnit Jupiter 6; the root's JUnit 5 BOM must not reach here
        String version = ReflectionUtils.class.getPackage().getImplementationVersion();
        assertThat(version).startsWith("6.");
    }
}
