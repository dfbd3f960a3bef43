package dev.nines.spring.boot.autoconfigure;

import dev.nines.Priority;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The {@code nines.slo.*} configuration (with nines-slo on the class path): the service level
 * objectives of the application, by name under {@code instances} (each over the {@code defaults}), each counted from the request
 * events of every endpoint and pipeline nines guards; how often their alerts are evaluated; and
 * whether a fast burn shows on the health endpoint. A key that is not listed here fails the
 * startup, and so does an invalid value, named by its property path. Not thread-safe: bound once by
 * Spring, then only read.
 */
@ConfigurationProperties(prefix = "nines.slo", ignoreUnknownFields = false)
public class SloProperties {

    /**
     * How often every SLO's alerts are evaluated, each change of state reported as a transition
     * (kind "slo") to the metrics sink. More than 0. Default 10s.
     */
    private Duration evaluationInterval = Duration.ofSeconds(10);

    /** The {@code slo} health contributor. */
    private Health health = new Health();

    /** Settings every SLO starts from; each instance's own entries override them. */
    private SloSettings defaults = new SloSettings();

    /**
     * The SLOs by name; a name with dots must be written in brackets: {@code "[checkout.v2]"}.
     */
    private Map<String, SloSettings> instances = new LinkedHashMap<>();

    /** Created by Spring's binder. */
    public SloProperties() {
    }

    /** @return how often the alerts are evaluated */
    public Duration getEvaluationInterval() {
        return evaluationInterval;
    }

    /** @param evaluationInterval how often the alerts are evaluated */
    public void setEvaluationInterval(Duration evaluationInterval) {
        this.evaluationInterval = evaluationInterval;
    }

    /** @return the health contributor's settings */
    public Health getHealth() {
        return health;
    }

    /** @param health the health contributor's settings */
    public void setHealth(Health health) {
        this.health = health;
    }

    /** @return the settings every SLO starts from */
    public SloSettings getDefaults() {
        return defaults;
    }

    /** @param defaults the settings every SLO starts from */
    public void setDefaults(SloSettings defaults) {
        this.defaults = defaults;
    }

    /** @return the SLOs by name */
    public Map<String, SloSettings> getInstances() {
        return instances;
    }

    /** @param instances the SLOs by name */
    public void setInstances(Map<String, SloSettings> instances) {
        this.instances = instances;
    }

    /** The {@code slo} health contributor's settings. Not thread-safe. */
    public static class Health {

        /**
         * Whether an SLO whose page-severity alert fires makes the {@code slo} health contributor
         * report the status DEGRADED (else it stays UP, its details still showing the burn). DEGRADED
         * is not in Spring Boot's default status order, so the overall status stays UP unless
         * management.endpoint.health.status.order lists it; it answers HTTP 200 either way, and the
         * contributor is in no probe group: a fast burn never takes the instance out of the load
         * balancer. Default false.
         */
        private boolean degradeOnFastBurn;

        /** Created by Spring's binder. */
        public Health() {
        }

        /** @return whether a fast burn reports DEGRADED */
        public boolean isDegradeOnFastBurn() {
            return degradeOnFastBurn;
        }

        /** @param degradeOnFastBurn whether a fast burn reports DEGRADED */
        public void setDegradeOnFastBurn(boolean degradeOnFastBurn) {
            this.degradeOnFastBurn = degradeOnFastBurn;
        }
    }

    /** One SLO; {@code null} means unset (the nines-slo builder's default). Not thread-safe. */
    public static class SloSettings {

        /**
         * What makes a request good: "availability" (answered) or "latency" (answered within
         * threshold). Default availability.
         */
        private String indicator;

        /**
         * The names of the requests counted: endpoints ({@code GuardedController.search}) and
         * pipelines. Default: every request.
         */
        private List<String> requests;

        /** The priorities counted. Default: every request, with a priority or without. */
        private List<Priority> priorities;

        /**
         * The fraction of requests that must be good, strictly between 0 and 1, as a percentage
         * ("99.9%") or a fraction ("0.999"). Default 99.9%.
         */
        private String objective;

        /** The window the error budget is counted over, a whole number of resolutions. Default 30d. */
        private Duration window;

        /** The width of one bucket of the window (8 bytes each). Default 1m. */
        private Duration resolution;

        /** The latency a good answer stays within, more than 0: required for, and only for, latency. */
        private Duration threshold;

        /**
         * How degraded answers (a fallback's) count: "answer", "failure" or "excluded". Default
         * answer.
         */
        private String degraded;

        /**
         * How requests refused by a rate limiter (the client's fault) count: "answer", "failure" or
         * "excluded". Default excluded.
         */
        private String rateLimited;

        /**
         * The burn-rate alert table, most urgent first. Default the SRE workbook's: page-fast (page,
         * 14.4 over 1h and 5m), page-slow (page, 6 over 6h and 30m), ticket (ticket, 1 over 3d and 6h).
         */
        private List<AlertSettings> alerts;

        /** Created by Spring's binder. */
        public SloSettings() {
        }

        /** @return the indicator setting */
        public String getIndicator() {
            return indicator;
        }

        /** @param indicator the indicator setting */
        public void setIndicator(String indicator) {
            this.indicator = indicator;
        }

        /** @return the request names counted, null when unset */
        public List<String> getRequests() {
            return requests;
        }

        /** @param requests the request names counted */
        public void setRequests(List<String> requests) {
            this.requests = requests;
        }

        /** @return the priorities counted, null when unset */
        public List<Priority> getPriorities() {
            return priorities;
        }

        /** @param priorities the priorities counted */
        public void setPriorities(List<Priority> priorities) {
            this.priorities = priorities;
        }

        /** @return the objective setting */
        public String getObjective() {
            return objective;
        }

        /** @param objective the objective setting */
        public void setObjective(String objective) {
            this.objective = objective;
        }

        /** @return the window setting */
        public Duration getWindow() {
            return window;
        }

        /** @param window the window setting */
        public void setWindow(Duration window) {
            this.window = window;
        }

        /** @return the resolution setting */
        public Duration getResolution() {
            return resolution;
        }

        /** @param resolution the resolution setting */
        public void setResolution(Duration resolution) {
            this.resolution = resolution;
        }

        /** @return the threshold setting */
        public Duration getThreshold() {
            return threshold;
        }

        /** @param threshold the threshold setting */
        public void setThreshold(Duration threshold) {
            this.threshold = threshold;
        }

        /** @return the degraded setting */
        public String getDegraded() {
            return degraded;
        }

        /** @param degraded the degraded setting */
        public void setDegraded(String degraded) {
            this.degraded = degraded;
        }

        /** @return the rate-limited setting */
        public String getRateLimited() {
            return rateLimited;
        }

        /** @param rateLimited the rate-limited setting */
        public void setRateLimited(String rateLimited) {
            this.rateLimited = rateLimited;
        }

        /** @return the alert table, or null for the workbook's */
        public List<AlertSettings> getAlerts() {
            return alerts;
        }

        /** @param alerts the alert table */
        public void setAlerts(List<AlertSettings> alerts) {
            this.alerts = alerts;
        }
    }

    /** One row of an SLO's burn-rate alert table; every field is required. Not thread-safe. */
    public static class AlertSettings {

        /** The alert's name, unique in its table: letters, digits, _ and -. */
        private String name;

        /** What it asks for, "page" or "ticket" (letters, digits, _ and -); page means a fast burn. */
        private String severity;

        /** The burn rate at which it fires, more than 0: 1 spends the budget exactly over the window. */
        private Double burnRate;

        /** The window that makes it significant, at most the SLO's window. */
        private Duration longWindow;

        /** The window that makes it current, shorter than the long window. */
        private Duration shortWindow;

        /** Created by Spring's binder. */
        public AlertSettings() {
        }

        /** @return the name */
        public String getName() {
            return name;
        }

        /** @param name the name */
        public void setName(String name) {
            this.name = name;
        }

        /** @return the severity */
        public String getSeverity() {
            return severity;
        }

        /** @param severity the severity */
        public void setSeverity(String severity) {
            this.severity = severity;
        }

        /** @return the burn rate */
        public Double getBurnRate() {
            return burnRate;
        }

        /** @param burnRate the burn rate */
        public void setBurnRate(Double burnRate) {
            this.burnRate = burnRate;
        }

        /** @return the long window */
        public Duration getLongWindow() {
            return longWindow;
        }

        /** @param longWindow the long window */
        public void setLongWindow(Duration longWindow) {
            this.longWindow = longWindow;
        }

        /** @return the short window */
        public Duration getShortWindow() {
            return shortWindow;
        }

        /** @param shortWindow the short window */
        public void setShortWindow(Duration shortWindow) {
            this.shortWindow = shortWindow;
        }
    }
}
