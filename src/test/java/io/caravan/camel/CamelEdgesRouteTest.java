package io.caravan.camel;

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

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job whose source and target are Camel endpoints ({@code file:} both ways) in the pipeline's routes: the ledger
 * still decides what reaches the transfer, and an item the target endpoint cannot take fails alone.
 */
class CamelEdgesRouteTest extends PipelineRouteTestSupport {

    @Override
    protected Map<String, String> settings() {
        return Map.of("source.type", "camel", "source.uri", "file:" + source() + "?recursive=true",
                "target.type", "camel", "target.uri", "file:" + target());
    }

    @Test
    void should_send_only_the_new_file_of_a_camel_source_to_transfer_on_a_rerun() throws Exception {
        Trees.generate(source(), 15, 41);
        AdviceWith.adviceWith(context, JOB + ".plan", route -> route
                .interceptSendToEndpoint("direct:" + JOB + ".transfer").to("mock:transfer"));
        context.start();
        MockEndpoint transfers = getMockEndpoint("mock:transfer");
        assertThat(run(false).done()).isEqualTo(15);

        transfers.reset();
        Files.writeString(source().resolve("level-0/added.txt"), "added after the first run");
        RunReport rerun = run(false);

        assertThat(transfers.getReceivedExchanges()).map(e -> e.getMessage().getBody(Item.class).key())
                .containsExactly("level-0/added.txt");
        assertThat(rerun.plan().get("unchanged").items()).isEqualTo(15);
        assertThat(Trees.ofFolder(target())).isEqualTo(Trees.ofFolder(source()));
    }

    @Test
    void should_record_a_file_the_camel_target_cannot_write_as_failed_and_write_the_others() throws Exception {
        Trees.generate(source(), 20, 42);
        Files.createDirectories(source().resolve("blocked"));
        Files.writeString(source().resolve("blocked/inner.txt"), "its folder cannot be made at the target");
        Files.createDirectories(target());
        Files.writeString(target().resolve("blocked"), "a file where the target needs a folder");
        context.start();
        NotifyBuilder runEnded = new NotifyBuilder(context).fromRoute(JOB + ".plan").whenDone(1).create();

        CompletableFuture<RunReport> running = CompletableFuture.supplyAsync(() -> run(false));

        assertThat(runEnded.matches(30, TimeUnit.SECONDS)).as("the run went on to its end").isTrue();
        RunReport report = running.get(30, TimeUnit.SECONDS);
        assertThat(report.done()).isEqualTo(20);
        assertThat(report.failed()).isEqualTo(1);
        assertThat(ledgerRow("blocked/inner.txt").status()).isEqualTo(LedgerStatus.FAILED);
        assertThat(ledgerRow("blocked/inner.txt").lastError()).contains("write blocked/inner.txt");
        assertThat(Rejects.ofLatestRun(data(), JOB)).containsOnlyKeys("blocked/inner.txt");
        Files.delete(source().resolve("blocked/inner.txt"));
        Files.delete(source().resolve("blocked"));
        Files.delete(target().resolve("blocked"));
        assertThat(Trees.ofFolder(target())).isEqualTo(Trees.ofFolder(source()));
    }
}
