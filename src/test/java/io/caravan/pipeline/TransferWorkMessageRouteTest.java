package io.caravan.pipeline;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.job.JobExecution;
import io.caravan.ledger.Ledger;
import io.caravan.ledger.LedgerStatus;
import io.caravan.testing.PipelineRouteTestSupport;
import io.caravan.item.JobFatalException;
import org.apache.camel.Exchange;
import org.apache.camel.builder.AdviceWith;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code caravan-transfer} Kamelet given a work message, as a worker receives it from a broker: the item is
 * transferred and recorded under the run that published it, and a message delivered again for an item the ledger
 * already has done is recorded for its run without being copied again.
 */
class TransferWorkMessageRouteTest extends PipelineRouteTestSupport {

    @Override
    protected Map<String, String> settings() {
        return folderToFolder();
    }

    @Test
    void should_transfer_a_work_message_and_skip_it_when_delivered_again_done() throws Exception {
        Files.createDirectories(source());
        Files.writeString(source().resolve("a.txt"), "a body");
        Item item;
        try (CloseableIterator<Item> listing = job().source().list()) {
            item = listing.next();
        }
        context.start();
        new JobExecution(job(), data()).prepare(false); // a worker's own run, for its counters

        String first = WorkMessage.of(JOB, "run-1", item, "a.txt").toJson();
        assertThat(first).doesNotContain("a body");
        template.sendBody("direct:" + JOB + ".transfer", first);

        assertThat(Files.readString(target().resolve("a.txt"))).isEqualTo("a body");
        assertThat(job().ledger().outcomesOfRun(job().scope(), "run-1"))
                .as("recorded, and committed before the exchange ended").containsOnlyKeys(LedgerStatus.DONE);

        Files.delete(target().resolve("a.txt"));
        template.sendBody("direct:" + JOB + ".transfer", WorkMessage.of(JOB, "run-2", item, "a.txt").toJson());

        assertThat(target().resolve("a.txt")).as("not copied again").doesNotExist();
        Ledger.Outcomes again = job().ledger().outcomesOfRun(job().scope(), "run-2").get(LedgerStatus.DONE);
        assertThat(again.items()).as("recorded for the run that published it again").isEqualTo(1);
        assertThat(again.bytes()).isEqualTo(6);
    }

    @Test
    void should_leave_the_message_unacknowledged_and_unrecorded_when_a_job_fatal_error_stops_the_worker()
            throws Exception {
        Files.createDirectories(source());
        Files.writeString(source().resolve("a.txt"), "a body");
        Item item;
        try (CloseableIterator<Item> listing = job().source().list()) {
            item = listing.next();
        }
        AdviceWith.adviceWith(context, JOB + ".transfer", route -> route.weaveByToString(".*caravanTransfer.*")
                .before().process(exchange -> {
                    if (!job().run().isAborted()) {
                        throw new JobFatalException("the target refused the credentials");
                    }
                }));
        context.start();
        new JobExecution(job(), data()).prepare(false);

        for (String run : new String[] {"run-1", "run-2"}) {
            Exchange sent = template.send("direct:" + JOB + ".transfer",
                    e -> e.getMessage().setBody(WorkMessage.of(JOB, run, item, "a.txt").toJson()));
            assertThat(sent.getException()).as("%s: not handled, so the broker message is not acknowledged", run)
                    .isInstanceOf(WorkerStoppedException.class).hasMessageContaining("credentials");
            assertThat(job().ledger().outcomesOfRun(job().scope(), run)).as("nothing recorded").isEmpty();
        }
        assertThat(job().run().isAborted()).isTrue();
        assertThat(target().resolve("a.txt")).doesNotExist();
    }
}
