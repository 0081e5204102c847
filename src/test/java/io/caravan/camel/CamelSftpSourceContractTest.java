package io.caravan.camel;

import io.caravan.source.ItemSource;
import io.caravan.source.SourceContract;
import io.caravan.testing.SftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** camel-ftp's sftp: consumer as a source, against an SFTP server (Apache MINA SSHD) with a password. */
class CamelSftpSourceContractTest extends SourceContract {

    @TempDir
    Path dir;
    SftpServer sftp;

    @BeforeEach
    void startServer() throws Exception {
        Files.createDirectories(dir.resolve("served/files"));
        sftp = new SftpServer(dir.resolve("served"), dir.resolve("host.key"));
    }

    @AfterEach
    void stopServer() throws Exception {
        sftp.close();
    }

    @Override
    protected void put(String key, byte[] body) throws Exception {
        Path file = dir.resolve("served/files").resolve(key);
        Files.createDirectories(file.getParent());
        Files.write(file, body);
    }

    @Override
    protected void remove(String key) throws Exception {
        Files.delete(dir.resolve("served/files").resolve(key));
    }

    @Override
    protected ItemSource newSource() {
        return new CamelSource(sftp.uri("files"), "", "", 4, 2);
    }

    /** camel-ftp skips names that start with '.', and has no option to keep them (README). */
    @Override
    protected boolean listsHiddenNames() {
        return false;
    }
}
