package io.caravan.pipeline;

import io.caravan.job.JobSettings;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class BrokersTest {

    @TempDir
    Path home;

    @Test
    void should_reconnect_without_end_and_take_one_message_at_a_time_by_default() {
        ActiveMQConnectionFactory factory = artemis("tcp://127.0.0.1:61616", Map.of());
        assertThat(factory.getReconnectAttempts()).isEqualTo(Brokers.RECONNECT_FOREVER);
        assertThat(factory.getConsumerWindowSize()).isZero();
        assertThat(factory.getUser()).isNull();
    }

    @Test
    void should_keep_what_the_url_says_and_use_the_credentials_set() {
        ActiveMQConnectionFactory factory = artemis("tcp://127.0.0.1:61616?reconnectAttempts=5&consumerWindowSize=4096",
                Map.of("caravan.broker.user", "caravan", "caravan.broker.password", "s3cret"));
        assertThat(factory.getReconnectAttempts()).isEqualTo(5);
        assertThat(factory.getConsumerWindowSize()).isEqualTo(4096);
        assertThat(factory.getUser()).isEqualTo("caravan");
        assertThat(factory.getPassword()).isEqualTo("s3cret");
    }

    private ActiveMQConnectionFactory artemis(String url, Map<String, String> settings) {
        return (ActiveMQConnectionFactory) Brokers.connectionFactory(url, JobSettings.engine(home, settings))
                .getTargetConnectionFactory();
    }
}
