package io.caravan.camel;

import io.caravan.testing.SftpServer;
import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.SortedMap;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** camel-ftp's sftp: producer as a job's target, against an SFTP server (Apache MINA SSHD) with a password. */
class CamelSftpTargetTest {

    @TempDir
    Path dir;

    @Test
    void should_upload_a_tree_over_sftp_unverified_with_the_password_nowhere_and_nothing_again() throws Exception {
        Path tree = dir.resolve("tree");
        Trees.generate(tree, 60, 12);
        Files.writeString(tree.resolve("with space + ünïcødé.txt"), "awkward");
        Files.write(tree.resolve("empty.bin"), new byte[0]);
        SortedMap<String, String> expected = Trees.ofFolder(tree);
        Path served = Files.createDirectories(dir.resolve("served/upload"));
        try (SftpServer sftp = new SftpServer(dir.resolve("served"), dir.resolve("host.key"))) {
            TestHome home = new TestHome(dir.resolve("home"));
            home.route("folder-to-sftp").job("folder-to-sftp", Map.of("source.type", "folder",
                    "source.root", tree.toString(), "target.type", "camel", "target.uri", sftp.uri("upload"),
                    "caravan.workers", "4"));

            assertThat(home.run("run", "folder-to-sftp").exit()).isZero();
            assertThat(Trees.ofFolder(served)).isEqualTo(expected);
            TestHome.Ran status = home.run("status", "folder-to-sftp");
            assertThat(status.out()).contains("0 done, " + expected.size() + " written unverified")
                    .contains("target camel:sftp://" + SftpServer.USER + "@127.0.0.1:" + sftp.port() + "/upload")
                    .doesNotContain(SftpServer.PASSWORD);
            try (Stream<Path> files = Files.walk(home.data())) {
                for (Path f : files.filter(Files::isRegularFile).filter(f -> !f.toString().contains("ledger"))
                        .toList()) {
                    assertThat(Files.readString(f)).as(f.toString()).doesNotContain(SftpServer.PASSWORD);
                }
            }

            try (Stream<Path> files = Files.walk(served)) {
                for (Path f : files.filter(Files::isRegularFile).toList()) {
                    Files.setLastModifiedTime(f, FileTime.fromMillis(0));
                }
            }
            assertThat(home.run("run", "folder-to-sftp").exit()).isZero();
            try (Stream<Path> files = Files.walk(served)) {
                assertThat(files.filter(Files::isRegularFile).filter(f -> {
                    try {
                        return Files.getLastModifiedTime(f).toMillis() != 0;
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                })).as("an unchanged rerun uploads nothing").isEmpty();
            }
        }
    }
}
