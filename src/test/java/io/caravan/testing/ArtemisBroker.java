package io.caravan.testing;

import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import io.caravan.pipeline.WorkMessage;
import org.apache.activemq.artemis.api.core.ICoreMessage;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.server.MessageReference;
import org.apache.activemq.artemis.core.server.Queue;
import org.apache.activemq.artemis.reader.TextMessageUtil;
import org.apache.activemq.artemis.utils.collections.LinkedListIterator;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;

import java.io.IOException;
import java.nio.file.Path;

/**
 * An ActiveMQ Artemis broker in the test's JVM ({@link EmbeddedActiveMQ}) on 127.0.0.1 and a free port, persistent,
 * its journal under the given folder; {@link #stop()} and {@link #start()} again bring it back on the same port with
 * the same journal, as a restarted broker would.
 */
public final class ArtemisBroker implements AutoCloseable {

    private final Path dir;
    private final int port;
    private EmbeddedActiveMQ server;

    private ArtemisBroker(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    public static ArtemisBroker start(Path dir) throws Exception {
        ArtemisBroker broker = new ArtemisBroker(dir, LoopbackPorts.free());
        broker.start();
        return broker;
    }


    public synchronized void start() throws Exception {
        if (server != null) {
            return;
        }
        Configuration config = new ConfigurationImpl()
                .setPersistenceEnabled(true)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(dir.resolve("journal").toString())
                .setBindingsDirectory(dir.resolve("bindings").toString())
                .setPagingDirectory(dir.resolve("paging").toString())
                .setLargeMessagesDirectory(dir.resolve("large-messages").toString())
                .setSecurityEnabled(false)
                .setJMXManagementEnabled(false)
                .setCriticalAnalyzer(false)
                .setMaxDiskUsage(-1);
        config.addAcceptorConfiguration("tcp", url());
        server = new EmbeddedActiveMQ().setConfiguration(config).start();
    }

    public synchronized void stop() throws Exception {
        if (server != null) {
            server.stop();
            server = null;
        }
    }

    /** {@code tcp://127.0.0.1:<port>}, the same across a restart. */
    public String url() {
        return "tcp://127.0.0.1:" + port;
    }

    /** Messages sent to the queue since the broker (re)started, 0 while it has none. */
    public synchronized long messagesAdded(String queue) {
        Queue q = server == null ? null : server.getActiveMQServer().locateQueue(queue);
        return q == null ? 0 : q.getMessagesAdded();
    }

    /** The work items in the queue's messages now (each message a JSON array of them, or one on its own). */
    public synchronized long itemsQueued(String queue) throws Exception {
        Queue q = server == null ? null : server.getActiveMQServer().locateQueue(queue);
        long items = 0;
        if (q == null) {
            return 0;
        }
        try (LinkedListIterator<MessageReference> messages = q.browserIterator()) {
            while (messages.hasNext()) {
                ICoreMessage message = messages.next().getMessage().toCore();
                SimpleString text = TextMessageUtil.readBodyText(message.getReadOnlyBodyBuffer());
                items += WorkMessage.batchFromJson(text.toString()).size();
            }
        }
        return items;
    }

    @Override
    public void close() throws Exception {
        stop();
    }
}
