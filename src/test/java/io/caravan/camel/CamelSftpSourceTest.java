package io.caravan.camel;

import io.caravan.testing.SftpServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.SortedMap;

import static org.assertj.core.api.Assertions.assertThat;

/** camel-ftp's sftp: consumer as a job's source: refused when it would change the server, stopped by a bad login. */
class CamelSftpSourceTest {

    @TempDir
    Path dir;

    @Test
    void should_refuse_an_sftp_source_uri_that_would_delete_what_it_reads_and_leave_the_server_as_it_was()
            throws Exception {
        Path outbox = dir.resolve("served/outbox");
        Trees.generate(outbox, 20, 3);
        SortedMap<String, String> before = Trees.ofFolder(outbox);
        try (SftpServer sftp = new SftpServer(dir.resolve("served"), dir.resolve("host.key"))) {
            TestHome home = new TestHome(dir.resolve("home"));
            home.route("sftp-delete").job("sftp-delete", Map.of("source.type", "camel",
                    "source.uri", sftp.uri("outbox") + "&delete=true", "target.type", "folder",
                    "target.root", dir.resolve("never").toString()));

            TestHome.Ran run = home.run("run", "sftp-delete");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).contains("source.uri: option delete=true").contains("would change the source")
                    .doesNotContain(SftpServer.PASSWORD);
            assertThat(sftp.reads()).isZero();
        }
        assertThat(Trees.ofFolder(outbox)).isEqualTo(before);
        assertThat(dir.resolve("never")).doesNotExist();
    }

    @Test
    void should_stop_with_a_clear_message_when_the_server_refuses_the_login_and_name_no_password()
            throws Exception {
        Files.createDirectories(dir.resolve("served/outbox"));
        Files.writeString(dir.resolve("served/outbox/a.txt"), "a");
        try (SftpServer sftp = new SftpServer(dir.resolve("served"), dir.resolve("host.key"))) {
            String wrong = "not-the-password-77";
            TestHome home = new TestHome(dir.resolve("home"));
            home.route("sftp-login").job("sftp-login", Map.of("source.type", "camel",
                    "source.uri", sftp.uri("outbox").replace(SftpServer.PASSWORD, wrong), "target.type", "folder",
                    "target.root", dir.resolve("never").toString()));

            TestHome.Ran run = home.run("run", "sftp-login");

            assertThat(run.exit()).isEqualTo(2);
            assertThat(run.err()).as(run.err()).contains("cannot log in to sftp://" + SftpServer.USER + "@127.0.0.1:"
                    + sftp.port()).doesNotContain(wrong);
            assertThat(dir.resolve("never")).doesNotExist();
        }
    }
}
