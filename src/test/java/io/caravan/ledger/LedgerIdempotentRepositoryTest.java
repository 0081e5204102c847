package io.caravan.ledger;

import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A YAML route uses the ledger as its idempotent repository: an item passes again only when its fingerprint changed. */
class LedgerIdempotentRepositoryTest {

    private static final String ROUTE = """
            - route:
                from:
                  uri: direct:items
                  steps:
                    - setProperty:
                        name: CaravanFingerprint
                        simple: "${header.fingerprint}"
                    - idempotentConsumer:
                        header: key
                        idempotentRepository: "#ledger"
                        eager: false
                        steps:
                          - setProperty:
                              name: CaravanVerified
                              constant: true
                          - bean:
                              ref: arrivals
            """;

    private static final LedgerScope SCOPE = new LedgerScope("yaml-job", "direct:items", "bean:arrivals");

    @TempDir
    Path dir;

    @Test
    void should_let_an_item_through_again_only_when_its_fingerprint_changed() throws Exception {
        try (LedgerDatabase database = LedgerDatabase.open(LedgerDatabase.embeddedUrl(dir), null, null, 2);
             CamelContext camel = new DefaultCamelContext()) {
            List<String> arrivals = new ArrayList<>();
            camel.getRegistry().bind("ledger", new LedgerIdempotentRepository(new Ledger(database), SCOPE));
            camel.getRegistry().bind("arrivals", new Arrivals(arrivals));
            PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromString("items.camel.yaml", ROUTE));
            camel.start();
            ProducerTemplate send = camel.createProducerTemplate();

            send.sendBodyAndHeaders("direct:items", "a", Map.of("key", "a.txt", "fingerprint", "1:100"));
            send.sendBodyAndHeaders("direct:items", "a", Map.of("key", "a.txt", "fingerprint", "1:100"));
            send.sendBodyAndHeaders("direct:items", "a2", Map.of("key", "a.txt", "fingerprint", "2:200"));
            send.sendBodyAndHeaders("direct:items", "b", Map.of("key", "b.txt", "fingerprint", "1:100"));

            assertThat(arrivals).containsExactly("a", "a2", "b");
            LedgerEntry a = new Ledger(database).find(SCOPE, "a.txt").orElseThrow();
            assertThat(a.fingerprint()).isEqualTo("2:200");
            assertThat(a.attempts()).isEqualTo(2);
        }
    }

    public static final class Arrivals {
        private final List<String> bodies;

        Arrivals(List<String> bodies) {
            this.bodies = bodies;
        }

        public void arrive(String body) {
            bodies.add(body);
        }
    }
}
