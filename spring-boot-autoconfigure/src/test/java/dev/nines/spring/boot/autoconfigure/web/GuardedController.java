package dev.nines.spring.boot.autoconfigure.web;

import dev.nines.Priority;
import dev.nines.bulkhead.annotation.WithBulkhead;
import dev.nines.circuitbreaker.annotation.WithCircuitBreaker;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.shedding.annotation.WithPriority;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/** Endpoints with each nines annotation, for the controller tests. Thread-safe. */
@RestController
public class GuardedController {

    /** Released by a test to let the requests holding {@code /held} finish. */
    static volatile CountDownLatch release = new CountDownLatch(0);
    /** Counted down when a request has entered {@code /held}. */
    static volatile CountDownLatch entered = new CountDownLatch(0);

    @GetMapping("/limited")
    @WithRateLimit(permits = 2, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT)
    public String limited() {
        return "ok";
    }

    @GetMapping("/limited-async")
    @WithRateLimit(permits = 1, period = 1, unit = TimeUnit.MINUTES, key = KeySource.CLIENT)
    @WithBulkhead(name = "async", maxConcurrent = 1)
    public CompletableFuture<String> limitedAsync() {
        return CompletableFuture.supplyAsync(() -> "later");
    }

    @GetMapping("/shed")
    @WithPriority(value = Priority.P3, shedder = "api")
    public String shed() {
        return "recommendations";
    }

    @GetMapping("/flaky")
    @WithCircuitBreaker(name = "flaky", windowSize = 2, minimumCalls = 2, failureRateThreshold = 0.5)
    public String flaky(@RequestParam(name = "fail", defaultValue = "false") boolean fail) {
        if (fail) {
            throw new IllegalStateException("the downstream is down");
        }
        return "fine";
    }

    @GetMapping("/picky")
    @WithCircuitBreaker(name = "picky", windowSize = 2, minimumCalls = 2, failureRateThreshold = 0.5)
    public String picky(@RequestParam(name = "id") int id) {
        if (id < 0) {
            throw new ResponseStatusException(HttpStatus.NOT_FOUND, "no item " + id);
        }
        return "item " + id;
    }

    @GetMapping("/bulkhead")
    @WithBulkhead(name = "bh", maxConcurrent = 2)
    public String bulkhead(@RequestParam(name = "fail", defaultValue = "false") boolean fail) {
        if (fail) {
            throw new IllegalStateException("handler failed");
        }
        return "done";
    }

    @GetMapping("/held")
    @WithBulkhead(name = "held", maxConcurrent = 1)
    public String held() throws InterruptedException {
        entered.countDown();
        if (!release.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("never released");
        }
        return "held";
    }

    @GetMapping("/plain")
    public String plain() {
        return "plain";
    }
}
