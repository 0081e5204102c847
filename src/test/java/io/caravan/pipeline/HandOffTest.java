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
        assertThat(direct.intakeUri("j", true, 8)).isEqualTo("direct:j.transfer");
    }

    @Test
    void should_consume_the_queue_with_client_acknowledge_only_on_a_worker() {
        HandOff jms = new HandOff("jms:queue:caravan.{job}");
        assertThat(jms.publishUri("j")).isEqualTo("jms:queue:caravan.j");
        assertThat(jms.intakeUri("j", false, 8)).as("a planning instance transfers nothing").isEqualTo("direct:j.transfer");
        assertThat(jms.intakeUri("j", true, 8)).isEqualTo("jms:queue:caravan.j?acknowledgementModeName="
                + "CLIENT_ACKNOWLEDGE&concurrentConsumers=8&maxConcurrentConsumers=8");
        assertThat(new HandOff("jms:queue:q?concurrentConsumers=2").intakeUri("j", true, 8))
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
}
