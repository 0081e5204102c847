package io.caravan.camel;

import io.caravan.target.ItemTarget;
import io.caravan.target.TargetContract;
import io.caravan.testing.SftpServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

/** camel-ftp's sftp: producer as a target, against an SFTP server (Apache MINA SSHD) with a password. */
class CamelSftpTargetContractTest extends TargetContract {

    @TempDir
    Path dir;
    SftpServer sftp;

    @Override
    protected ItemTarget newTarget() throws Exception {
        Files.createDirectories(dir.resolve("served/root"));
        sftp = new SftpServer(dir.resolve("served"), dir.resolve("host.key"));
        return new CamelTarget(sftp.uri("root"), "");
    }

    @AfterEach
    void stopServer() throws Exception {
        sftp.close();
    }

    @Override
    protected boolean verifiesWrites() {
        return false;
    }

    @Override
    protected boolean hasRoot() {
        return true;
    }

    @Override
    protected boolean lists() {
        return false;
    }
}
