package io.caravan.pipeline;

import io.caravan.item.Item;
import io.caravan.ledger.LedgerStatus;
import io.caravan.report.RunReport;
import io.caravan.testing.PipelineRouteTestSupport;
import io.caravan.testing.Rejects;
import io.caravan.testing.Trees;
import org.apache.camel.builder.AdviceWith;
import org.apache.camel.builder.NotifyBuilder;
import org.apache.camel.component.mock.MockEndpoint;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Kamelets {@code caravan-plan} and {@code caravan-transfer} as a job's routes: what reaches
 * {@code direct:<job>.transfer}, and what the shared error handling makes of a transfer that fails.
 */
class CaravanKameletsRouteTest extends PipelineRouteTestSupport {

    private static final String TRANSFER = "direct:" + JOB + ".transfer";

    @Override
    protected Map<String, String> settings() {
        return folderToFolder();
    }

    /** Every item the plan hands to the transfer goes to mock:transfer as well. */
    private MockEndpoint watchTransfers() throws Exception {
        AdviceWith.adviceWith(context, JOB + ".plan", route -> route.interceptSendToEndpoint(TRANSFER)
                .to("mock:transfer"));
        context.start();
        return getMockEndpoint("mock:transfer");
    }

    @Test
    void should_send_only_new_and_changed_items_to_transfer_on_a_rerun() throws Exception {
        Files.createDirectories(source());
        for (String name : List.of("a.txt", "b.txt", "c.txt", "d.txt")) {
            Files.writeString(source().resolve(name), "first " + name);
        }
        MockEndpoint transfers = watchTransfers();
        assertThat(run(false).exitCode()).isZero();
        assertThat(transfers.getReceivedCounter()).isEqualTo(4);

        transfers.reset();
        Files.writeString(source().resolve("b.txt"), "changed, and longer than before");
        Files.setLastModifiedTime(source().resolve("b.txt"), FileTime.from(Instant.now().plusSeconds(5)));
        Files.writeString(source().resolve("e.txt"), "new");
        RunReport rerun = run(false);

        assertThat(transfers.getReceivedExchanges()).map(e -> e.getMessage().getBody(Item.class).key())
                .containsExactlyInAnyOrder("b.txt", "e.txt");
        assertThat(rerun.plan().get("unchanged").items()).isEqualTo(3);
        assertThat(Files.readString(target().resolve("b.txt"))).isEqualTo("changed, and longer than before");
    }

    @Test
    void should_send_nothing_to_transfer_in_a_dry_run() throws Exception {
        Trees.generate(source(), 12, 31);
        MockEndpoint transfers = watchTransfers();

        RunReport dryRun = run(true);

        assertThat(dryRun.plan().get("new").items()).isEqualTo(12);
        assertThat(transfers.getReceivedCounter()).as("the plan decided, and nothing went on").isZero();
        assertThat(target()).doesNotExist();
        assertThat(job().ledger().countByStatus(job().scope())).as("nothing recorded").isEmpty();
    }

    @Test
    void should_record_a_failed_transfer_as_failed_and_complete_the_others() throws Exception {
        Trees.generate(source(), 20, 32);
        Files.writeString(source().resolve("broken.txt"), "its write fails");
        AdviceWith.adviceWith(context, JOB + ".transfer", route -> route.weaveAddFirst().process(exchange -> {
            if (exchange.getMessage().getBody(Item.class).key().equals("broken.txt")) {
                throw new IOException("the target's disk failed");
            }
        }));
        context.start();
        NotifyBuilder runEnded = new NotifyBuilder(context).fromRoute(JOB + ".plan").whenDone(1).create();

        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> run(false));

        assertThat(runEnded.matches(20, TimeUnit.SECONDS)).as("the run went on to its end").isTrue();
        RunReport report = running.get(20, TimeUnit.SECONDS);
        assertThat(report.done()).isEqualTo(20);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(report.exitCode()).isEqualTo(RunReport.EXIT_ITEMS_NOT_DONE);
        assertThat(ledgerRow("broken.txt").status()).isEqualTo(LedgerStatus.FAILED);
        assertThat(ledgerRow("broken.txt").lastError()).contains("the target's disk failed");
        assertThat(Rejects.ofLatestRun(data(), JOB)).containsOnlyKeys("broken.txt");
        Files.delete(source().resolve("broken.txt"));
        assertThat(Trees.ofFolder(target())).isEqualTo(Trees.ofFolder(source()));
    }
}
