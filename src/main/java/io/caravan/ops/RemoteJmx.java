package io.caravan.ops;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;

import javax.management.MBeanServer;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import javax.rmi.ssl.SslRMIServerSocketFactory;
import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.rmi.registry.LocateRegistry;
import java.rmi.server.RMIServerSocketFactory;
import java.util.HashMap;
import java.util.Map;

/**
 * JMX over RMI for remote clients (jconsole, VisualVM, jmxterm). Off unless {@code caravan.jmx.remote.port}
 * is set; binds to loopback unless {@code caravan.jmx.remote.host} says otherwise; always requires a password
 * (JDK password and access files); SSL when {@code caravan.jmx.remote.ssl=true} (the JVM's keystore settings).
 */
public final class RemoteJmx implements AutoCloseable {

    private final JMXConnectorServer server;
    private final JMXServiceURL url;

    private RemoteJmx(JMXConnectorServer server) {
        this.server = server;
        this.url = server.getAddress();
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
        RMIServerSocketFactory sockets = ssl ? new SslRMIServerSocketFactory() : new BoundServerSockets(host);
        LocateRegistry.createRegistry(port, null, sockets);
        Map<String, Object> env = new HashMap<>();
        env.put("jmx.remote.x.password.file", passwords.toString());
        env.put("jmx.remote.x.access.file", access.toString());
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, sockets);
        if (ssl) {
            env.put(RMIConnectorServer.RMI_CLIENT_SOCKET_FACTORY_ATTRIBUTE, new SslRMIClientSocketFactory());
        }
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi://" + host + ":" + port + "/jndi/rmi://" + host + ":"
                + port + "/jmxrmi");
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(url, env, mbeans);
        server.start();
        return new RemoteJmx(server);
    }

    public JMXServiceURL url() {
        return url;
    }

    @Override
    public void close() throws IOException {
        server.stop();
    }

    /** Server sockets bound to one address, so loopback stays loopback. */
    private record BoundServerSockets(String host) implements RMIServerSocketFactory, Serializable {
        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 50, InetAddress.getByName(host));
        }
    }
}
