package io.caravan.pipeline;

import io.caravan.item.Item;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class HandOffTest {

    @Test
    void should_hand_over_in_process_by_default() {
        HandOff direct = new HandOff("direct");
        assertThat(direct.isBroker()).isFalse();
        assertThat(direct.publishUri("j")).isEqualTo("direct:j.transfer");
    }

    @Test
    void should_consume_the_queue_with_client_acknowledge() {
        HandOff jms = new HandOff("jms:queue:caravan.{job}");
        assertThat(jms.publishUri("j")).isEqualTo("jms:queue:caravan.j");
        assertThat(jms.consumeUri("j", 8)).isEqualTo("jms:queue:caravan.j?acknowledgementModeName="
                + "CLIENT_ACKNOWLEDGE&concurrentConsumers=8&maxConcurrentConsumers=8");
        assertThat(new HandOff("jms:queue:q?concurrentConsumers=2").consumeUri("j", 8))
                .isEqualTo("jms:queue:q?concurrentConsumers=2&acknowledgementModeName=CLIENT_ACKNOWLEDGE");
    }

    @Test
    void should_carry_a_work_message_as_json_without_a_body() {
        Item item = Item.of("a/b.txt", "12:1700000000000", 12, 1_700_000_000_000L);
        WorkMessage message = WorkMessage.of("j", "run-1", item, "prefix/a/b.txt");
        WorkMessage read = WorkMessage.fromJson(message.toJson());
        assertThat(read).isEqualTo(message);
        assertThat(read.item()).isEqualTo(item);
    }

    @Test
    void should_carry_a_batch_of_work_messages_as_one_json_array() {
        WorkMessage a = WorkMessage.of("j", "run-1", Item.of("a", "1:1", 1, 1L), "p/a");
        WorkMessage b = WorkMessage.of("j", "run-1", Item.of("b \"quoted\"", "2:2", 2, 2L), "p/b");
        String json = WorkMessage.batchToJson(java.util.List.of(a, b));
        assertThat(json).startsWith("[");
        assertThat(WorkMessage.batchFromJson(json)).containsExactly(a, b);
        assertThat(WorkMessage.batchFromJson(a.toJson())).containsExactly(a);
    }

    @Test
    void should_hold_work_messages_until_a_batch_is_full_and_give_the_rest_of_the_run_once() {
        WorkBatches batches = new WorkBatches();
        WorkMessage[] m = new WorkMessage[5];
        for (int i = 0; i < m.length; i++) {
            m[i] = WorkMessage.of("j", "run-1", Item.of("k" + i, i + ":1", i, 1L), "k" + i);
        }
        assertThat(batches.add(m[0], 2)).isNull();
        assertThat(batches.add(m[1], 2)).containsExactly(m[0], m[1]);
        assertThat(batches.add(m[2], 2)).isNull();
        assertThat(batches.rest("j", "run-0")).as("another run's rest").isNull();
        assertThat(batches.rest("j", "run-1")).containsExactly(m[2]);
        assertThat(batches.rest("j", "run-1")).isNull();
        batches.add(m[3], 2);
        WorkMessage nextRun = WorkMessage.of("j", "run-2", Item.of("n", "1:1", 1, 1L), "n");
        assertThat(batches.add(nextRun, 2)).as("a new run drops what an aborted one left").isNull();
        assertThat(batches.rest("j", "run-2")).containsExactly(nextRun);
    }
}
