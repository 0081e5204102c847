package io.caravan.testing;

import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import javax.rmi.ssl.SslRMIClientSocketFactory;
import java.util.Map;

/**
 * A remote JMX client over SSL, run as its own JVM: SSL trust is the JVM's ({@code javax.net.ssl.trustStore}), set
 * once per JVM, so the test's own JVM cannot trust a certificate it made. Prints the server's MBean count.
 * Arguments: port, user, password.
 */
public final class JmxSslProbe {

    private JmxSslProbe() {
    }

    public static void main(String[] args) throws Exception {
        JMXServiceURL url = new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + args[0] + "/jmxrmi");
        Map<String, Object> env = Map.of(JMXConnector.CREDENTIALS, new String[]{args[1], args[2]},
                "com.sun.jndi.rmi.factory.socket", new SslRMIClientSocketFactory());
        try (JMXConnector connector = JMXConnectorFactory.connect(url, env)) {
            System.out.println("mbeans " + connector.getMBeanServerConnection().getMBeanCount());
        }
    }
}
