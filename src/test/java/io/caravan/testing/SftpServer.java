package io.caravan.testing;

import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.session.ServerSession;
import org.apache.sshd.sftp.server.FileHandle;
import org.apache.sshd.sftp.server.Handle;
import org.apache.sshd.sftp.server.SftpEventListener;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An SFTP server (Apache MINA SSHD) on 127.0.0.1 in the test's JVM, serving a folder to one user with a password,
 * and counting the files it opened for reading, as a real server's log would show them.
 */
public final class SftpServer implements AutoCloseable {

    public static final String USER = "caravan";
    public static final String PASSWORD = "sftp-secret-5d2e";

    private final SshServer server;
    private final AtomicLong reads = new AtomicLong();

    public SftpServer(Path root, Path hostKey) throws IOException {
        server = SshServer.setUpDefaultServer();
        server.setHost("127.0.0.1");
        server.setPort(0);
        server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(hostKey));
        server.setPasswordAuthenticator((user, password, session) -> USER.equals(user) && PASSWORD.equals(password));
        SftpSubsystemFactory sftp = new SftpSubsystemFactory();
        sftp.addSftpEventListener(new SftpEventListener() {
            @Override
            public void open(ServerSession session, String remoteHandle, Handle localHandle) {
                if (localHandle instanceof FileHandle file
                        && !file.getOpenOptions().contains(java.nio.file.StandardOpenOption.WRITE)) {
                    reads.incrementAndGet();
                }
            }
        });
        server.setSubsystemFactories(List.of(sftp));
        server.setFileSystemFactory(new VirtualFileSystemFactory(root));
        server.start();
    }

    public int port() {
        return server.getPort();
    }

    /** Files opened for reading since the server started. */
    public long reads() {
        return reads.get();
    }

    /** An sftp: endpoint URI for a folder under the served root, with the password as a URI option. */
    public String uri(String folder) {
        return "sftp://" + USER + "@127.0.0.1:" + port() + "/" + folder + "?password=RAW(" + PASSWORD
                + ")&strictHostKeyChecking=no&useUserKnownHostsFile=false";
    }

    @Override
    public void close() throws IOException {
        server.stop(true);
    }
}
