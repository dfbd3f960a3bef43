package dev.nines.spring.boot.autoconfigure.internal;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Turns a {@link NinesConfigurationException} into Spring Boot's startup report: one description
 * with a line per problem, and the action. Registered in {@code META-INF/spring.factories};
 * stateless and thread-safe.
 */
public final class NinesFailureAnalyzer extends AbstractFailureAnalyzer<NinesConfigurationException> {

    /** Created by Spring Boot. */
    public NinesFailureAnalyzer() {
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, NinesConfigurationException cause) {
        StringBuilder description = new StringBuilder("Invalid ").append(cause.subject()).append(':');
        for (String problem : cause.problems()) {
            description.append(System.lineSeparator()).append("    ").append(problem);
        }
        return new FailureAnalysis(description.toString(), cause.action(), cause);
    }
}
