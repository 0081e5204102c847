package io.caravan.ops;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;

import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.management.remote.rmi.RMIJRMPServerImpl;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.AlreadyBoundException;
import java.rmi.registry.LocateRegistry;
import java.rmi.registry.Registry;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.rmi.server.UnicastRemoteObject;
import java.security.NoSuchAlgorithmException;
import java.util.HashMap;
import java.util.Map;

/**
 * JMX over RMI for remote clients (jconsole, VisualVM, jmxterm). Off unless {@code caravan.jmx.remote.port}
 * is set; binds to loopback unless {@code caravan.jmx.remote.host} says otherwise; always requires a password
 * (JDK password and access files); SSL when {@code caravan.jmx.remote.ssl=true} (the JVM's keystore settings).
 */
public final class RemoteJmx implements AutoCloseable {

    private final JMXConnectorServer server;
    private final Registry registry;
    private final JMXServiceURL url;

    private RemoteJmx(JMXConnectorServer server, Registry registry, JMXServiceURL url) {
        this.server = server;
        this.registry = registry;
        this.url = url;
    }

    /** Returns null when remote JMX is off. */
    public static RemoteJmx startIfConfigured(Path home, JobSettings settings, MBeanServer mbeans) throws IOException {
        int port = settings.integer("caravan.jmx.remote.port", 0);
        if (port <= 0) {
            return null;
        }
        String host = settings.string("caravan.jmx.remote.host", "127.0.0.1");
        Path passwords = home.resolve(settings.string("caravan.jmx.remote.password-file", "config/jmx.password"));
        Path access = home.resolve(settings.string("caravan.jmx.remote.access-file", "config/jmx.access"));
        if (!Files.isReadable(passwords) || !Files.isReadable(access)) {
            throw new ConfigException("remote JMX needs a password file and an access file: " + passwords + ", " + access);
        }
        boolean ssl = settings.flag("caravan.jmx.remote.ssl", false);
        System.setProperty("java.rmi.server.hostname", host);
        RMIServerSocketFactory sockets = new BoundServerSockets(host, ssl);
        RMIClientSocketFactory clientSockets = ssl ? new SslRMIClientSocketFactory() : null;
        Registry registry = LocateRegistry.createRegistry(port, clientSockets, sockets);
        Map<String, Object> env = new HashMap<>();
        env.put("jmx.remote.x.password.file", passwords.toString());
        env.put("jmx.remote.x.access.file", access.toString());
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        if (ssl) {
            env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, clientSockets);
        }
        RMIJRMPServerImpl connections = new RMIJRMPServerImpl(port, clientSockets, sockets, env);
        JMXConnectorServer server = new RMIConnectorServer(new JMXServiceURL("service:jmx:rmi://" + host + ":" + port),
                env, connections, mbeans);
        server.start();
        try {
            // bound in this JVM's registry object, not through a JNDI URL: that connects to the registry as a client,
            // over SSL too, and would have to trust the server's own certificate
            registry.bind("jmxrmi", connections.toStub());
        } catch (AlreadyBoundException e) {
            server.stop();
            throw new IOException("remote JMX: the registry on port " + port + " has a connector already", e);
        }
        return new RemoteJmx(server, registry,
                new JMXServiceURL("service:jmx:rmi:///jndi/rmi://" + host + ":" + port + "/jmxrmi"));
    }

    public JMXServiceURL url() {
        return url;
    }

    @Override
    public void close() throws IOException {
        server.stop();
        UnicastRemoteObject.unexportObject(registry, true);
    }

    /**
     * Server sockets bound to one address, so loopback stays loopback; SSL ones from the JVM's default context (the
     * JDK's SslRMIServerSocketFactory listens on every interface, whatever the host).
     */
    private record BoundServerSockets(String host, boolean ssl) implements RMIServerSocketFactory, Serializable {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            InetAddress address = InetAddress.getByName(host);
            if (!ssl) {
                return new ServerSocket(port, 50, address);
            }
            try {
                return SSLContext.getDefault().getServerSocketFactory().createServerSocket(port, 50, address);
            } catch (NoSuchAlgorithmException e) {
                throw new IOException("remote JMX over SSL: no SSL context in this JVM: " + e.getMessage(), e);
            }
        }
    }
}
