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
 * A worker's intake ({@link WorkIntake}, here on {@code direct:queue} in place of the broker's queue) and the
 * {@code caravan-transfer} Kamelet given batches of work messages, as a worker receives them from a broker: each item
 * is transferred and recorded under the run that published it, one rejected item leaves the others of its batch to
 * go on, a message delivered again for an item the ledger already has done is recorded for its run without being
 * copied again, and a job-fatal error leaves the message unacknowledged.
 */
class TransferWorkMessageRouteTest extends PipelineRouteTestSupport {

    @Override
    protected Map<String, String> settings() {
        return folderToFolder();
    }

    @Test
    void should_transfer_a_work_message_and_skip_it_when_delivered_again_done() throws Exception {
        Item item = listedA();
        startWithIntake();
        new JobExecution(job(), data()).prepare(false); // a worker's own run, for its counters

        String first = batch(WorkMessage.of(JOB, "run-1", item, "a.txt"));
        assertThat(first).doesNotContain("a body");
        template.sendBody(QUEUE, first);

        assertThat(Files.readString(target().resolve("a.txt"))).isEqualTo("a body");
        assertThat(job().ledger().outcomesOfRun(job().scope(), "run-1"))
                .as("recorded, and committed before the exchange ended").containsOnlyKeys(LedgerStatus.DONE);

        Files.delete(target().resolve("a.txt"));
        template.sendBody(QUEUE, batch(WorkMessage.of(JOB, "run-2", item, "a.txt")));

        assertThat(target().resolve("a.txt")).as("not copied again").doesNotExist();
        Ledger.Outcomes again = job().ledger().outcomesOfRun(job().scope(), "run-2").get(LedgerStatus.DONE);
        assertThat(again.items()).as("recorded for the run that published it again").isEqualTo(1);
        assertThat(again.bytes()).isEqualTo(6);
    }

    @Test
    void should_record_each_item_of_a_batch_on_its_own_when_one_is_rejected() throws Exception {
        Files.createDirectories(source());
        for (String name : new String[] {"a.txt", "b.txt", "c.txt"}) {
            Files.writeString(source().resolve(name), name + " body");
        }
        Map<String, Item> items = new java.util.TreeMap<>();
        try (CloseableIterator<Item> listing = job().source().list()) {
            listing.forEachRemaining(i -> items.put(i.key(), i));
        }
        startWithIntake();
        new JobExecution(job(), data()).prepare(false);
        Files.writeString(source().resolve("b.txt"), "b grew after it was published");

        Exchange sent = template.send(QUEUE, e -> e.getMessage().setBody(batch(items.values().stream()
                .map(i -> WorkMessage.of(JOB, "run-1", i, i.key())).toArray(WorkMessage[]::new))));

        assertThat(sent.getException()).as("the batch is acknowledged: each item has its outcome").isNull();
        assertThat(Files.readString(target().resolve("a.txt"))).isEqualTo("a.txt body");
        assertThat(Files.readString(target().resolve("c.txt"))).as("the item after the rejected one")
                .isEqualTo("c.txt body");
        assertThat(target().resolve("b.txt")).doesNotExist();
        Map<LedgerStatus, Ledger.Outcomes> outcomes = job().ledger().outcomesOfRun(job().scope(), "run-1");
        assertThat(outcomes.get(LedgerStatus.DONE).items()).isEqualTo(2);
        assertThat(outcomes.get(LedgerStatus.REJECTED).items()).isEqualTo(1);
    }

    @Test
    void should_leave_the_message_unacknowledged_and_unrecorded_when_a_job_fatal_error_stops_the_worker()
            throws Exception {
        Item item = listedA();
        AdviceWith.adviceWith(context, JOB + ".transfer", route -> route.weaveByToString(".*caravanTransfer.*")
                .before().process(exchange -> {
                    if (!job().run().isAborted()) {
                        throw new JobFatalException("the target refused the credentials");
                    }
                }));
        startWithIntake();
        new JobExecution(job(), data()).prepare(false);

        for (String run : new String[] {"run-1", "run-2"}) {
            Exchange sent = template.send(QUEUE, e -> e.getMessage().setBody(batch(
                    WorkMessage.of(JOB, run, item, "a.txt"))));
            assertThat(sent.getException()).as("%s: not handled, so the broker message is not acknowledged", run)
                    .isInstanceOf(WorkerStoppedException.class).hasMessageContaining("credentials");
            assertThat(job().ledger().outcomesOfRun(job().scope(), run)).as("nothing recorded").isEmpty();
        }
        assertThat(job().run().isAborted()).isTrue();
        assertThat(target().resolve("a.txt")).doesNotExist();
    }

    @Test
    void should_check_the_source_again_at_the_first_batch_of_each_run() throws Exception {
        Item item = listedA();
        startWithIntake();
        new JobExecution(job(), data()).prepare(false);
        template.sendBody(QUEUE, batch(WorkMessage.of(JOB, "run-1", item, "a.txt")));
        assertThat(Files.readString(target().resolve("a.txt"))).isEqualTo("a body");

        Files.delete(source().resolve("a.txt"));
        Files.delete(source());
        Exchange sameRun = template.send(QUEUE, e -> e.getMessage().setBody(batch(
                WorkMessage.of(JOB, "run-1", item, "a.txt"))));
        assertThat(sameRun.getException()).as("run-1's source was checked at its first batch").isNull();

        Exchange nextRun = template.send(QUEUE, e -> e.getMessage().setBody(batch(
                WorkMessage.of(JOB, "run-2", item, "a.txt"))));
        assertThat(nextRun.getException()).as("checked again for run-2: unacknowledged, for a worker that can read it")
                .isInstanceOf(JobFatalException.class).hasMessageContaining(source().toString());
        assertThat(job().ledger().outcomesOfRun(job().scope(), "run-2")).as("nothing recorded").isEmpty();
    }

    /** The source's one file, a.txt, as listed. */
    private Item listedA() throws Exception {
        Files.createDirectories(source());
        Files.writeString(source().resolve("a.txt"), "a body");
        try (CloseableIterator<Item> listing = job().source().list()) {
            return listing.next();
        }
    }

    private static final String QUEUE = "direct:queue";

    private void startWithIntake() throws Exception {
        context.addRoutes(new WorkIntake(job(), QUEUE));
        context.start();
    }

    private static String batch(WorkMessage... messages) {
        return WorkMessage.batchToJson(java.util.List.of(messages));
    }
}
