package io.caravan.testing;

import java.io.IOException;
import java.io.Serializable;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.rmi.server.RMIClientSocketFactory;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Map;

/**
 * Sockets for a JMX connector server a test starts: RMI's own factory binds the wildcard address, and its stubs name
 * the machine's address; these listen and connect on 127.0.0.1 only.
 */
public final class LoopbackRmiSockets implements RMIServerSocketFactory, RMIClientSocketFactory, Serializable {

    private static final long serialVersionUID = 1L;

    /** The connector server's environment entries that put its sockets on 127.0.0.1. */
    public static Map<String, Object> environment() {
        LoopbackRmiSockets sockets = new LoopbackRmiSockets();
        return Map.of("jmx.remote.rmi.server.socket.factory", sockets,
                "jmx.remote.rmi.client.socket.factory", sockets);
    }

    @Override
    public ServerSocket createServerSocket(int port) throws IOException {
        return new ServerSocket(port, 0, InetAddress.getLoopbackAddress());
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        return new Socket(InetAddress.getLoopbackAddress(), port);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof LoopbackRmiSockets;
    }

    @Override
    public int hashCode() {
        return LoopbackRmiSockets.class.hashCode();
    }
}
