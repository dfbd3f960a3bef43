package dev.nines.spring.boot.autoconfigure.internal;

import java.util.List;

/**
 * A startup failure of nines' Spring configuration: each problem names the property path (or the
 * annotated method) and the value. {@link NinesFailureAnalyzer} prints it as Spring Boot's
 * startup report. Immutable and thread-safe.
 */
public final class NinesConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What was being configured: "nines configuration" or "nines annotations". */
    private final String subject;
    private final transient List<String> problems; // a report for the startup, not for serializing
    private final String action;

    /**
     * A failure listing {@code problems}.
     *
     * @param subject  what was being configured, for the report's first line
     * @param problems one line each, {@code path: requirement but was value}
     * @param action   what the user should do
     */
    public NinesConfigurationException(String subject, List<String> problems, String action) {
        super("invalid " + subject + ": " + String.join("; ", problems));
        this.subject = subject;
        this.problems = List.copyOf(problems);
        this.action = action;
    }

    /** A failure caused by {@code cause}, whose message is the single problem. */
    public NinesConfigurationException(String subject, String problem, String action, Throwable cause) {
        this(subject, List.of(problem), action);
        initCause(cause);
    }

    /** What was being configured. */
    public String subject() {
        return subject;
    }

    /** The problems, one line each. */
    public List<String> problems() {
        return problems;
    }

    /** What the user should do. */
    public String action() {
        return action;
    }
}
