package dev.nines.sample;

import dev.nines.Priority;
import dev.nines.ratelimit.annotation.KeySource;
import dev.nines.ratelimit.annotation.WithRateLimit;
import dev.nines.shedding.annotation.WithPriority;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Browsing the shop. Search is rate limited per client (it is the expensive one, and the one
 * scrapers hit); when the service is overloaded, recommendations (P3) go first, then search (P2),
 * and product pages (P1) last. Thread-safe.
 */
@RestController
public class CatalogController {

    private final Catalog catalog;

    /** Serves {@code catalog}. */
    public CatalogController(Catalog catalog) {
        this.catalog = catalog;
    }

    /**
     * Searches the products: 20 a second per client, bursts of 40.
     *
     * @param q what to look for in product names
     * @return the matching products
     */
    @GetMapping("/products")
    @WithRateLimit(permits = 20, period = 1, unit = TimeUnit.SECONDS, burst = 40, key = KeySource.CLIENT)
    @WithPriority(Priority.P2)
    public List<Catalog.Product> search(@RequestParam(name = "q", defaultValue = "") String q) {
        return catalog.search(q);
    }

    /**
     * One product's page.
     *
     * @param id the product id
     * @return the product, or 404
     */
    @GetMapping("/products/{id}")
    @WithPriority(Priority.P1)
    public Catalog.Product product(@PathVariable("id") long id) {
        return catalog.find(id).orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no product " + id));
    }

    /**
     * Suggestions: nice to have, the first to be shed.
     *
     * @return a few products
     */
    @GetMapping("/recommendations")
    @WithPriority(Priority.P3)
    public List<Catalog.Product> recommendations() {
        return catalog.recommendations();
    }
}
