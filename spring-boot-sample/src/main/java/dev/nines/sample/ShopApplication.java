package dev.nines.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small shop service protected end to end by the nines Spring Boot starter: per-client rate
 * limits and priorities on its endpoints ({@link CatalogController}, {@link OrderController}), a
 * breaker, retry and timeout around its one outbound call ({@link PaymentClient}), configured in
 * {@code application.yml} under {@code nines.*}. Start it with
 * {@code mvn -B -q -pl spring-boot-sample -am -DskipTests test-compile exec:java} (port 8080, or
 * {@code -Dserver.port=...}).
 */
@SpringBootApplication
public class ShopApplication {

    /** Created by Spring. */
    public ShopApplication() {
    }

    /**
     * Starts the service.
     *
     * @param args Spring Boot arguments, such as {@code --server.port=9090}
     */
    public static void main(String[] args) {
        SpringApplication.run(ShopApplication.class, args);
    }
}
