package io.caravan.testing;

import io.caravan.ops.CaravanServer;
import io.caravan.ops.JobControlMBean;

import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/** A real {@code caravan serve} child process with remote JMX on loopback, and a JMX client for it. */
public final class ServeProcess implements AutoCloseable {

    public static final String USER = "operator";
    public static final String PASSWORD = "operator-password-4b1d";

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Process process;
    private final Path log;
    private final int port;
    private final int httpPort;
    private JMXConnector connector;

    private ServeProcess(Process process, Path log, int port, int httpPort) {
        this.process = process;
        this.log = log;
        this.port = port;
        this.httpPort = httpPort;
    }


    /** Writes the JMX password and access files into the home, then starts serving. */
    public static ServeProcess start(TestHome home, Path log, Map<String, String> engine) throws Exception {
        return start(home, log, engine, List.of());
    }

    /** As {@link #start(TestHome, Path, Map)}, with options for the serving JVM. */
    public static ServeProcess start(TestHome home, Path log, Map<String, String> engine, List<String> jvmOptions)
            throws Exception {
        int port = LoopbackPorts.free();
        int httpPort = LoopbackPorts.free();
        Path passwords = home.path().resolve("config/jmx.password");
        Files.writeString(passwords, USER + " " + PASSWORD + "\n");
        Files.setPosixFilePermissions(passwords, PosixFilePermissions.fromString("rw-------"));
        Files.writeString(home.path().resolve("config/jmx.access"), USER + " readwrite\n");
        StringBuilder props = new StringBuilder(Files.readString(home.path().resolve("config/application.properties")));
        props.append("\ncaravan.jmx.remote.port = ").append(port).append('\n');
        props.append("caravan.http.port = ").append(httpPort).append('\n');
        engine.forEach((k, v) -> props.append(k).append(" = ").append(v).append('\n'));
        Files.writeString(home.path().resolve("config/application.properties"), props);
        ServeProcess serve = new ServeProcess(home.start(log, List.of(), jvmOptions, "serve"), log, port,
                httpPort);
        serve.await(Duration.ofSeconds(60), () -> serve.log().contains("serving "));
        return serve;
    }

    /** GET on the loopback HTTP port: status code and body. */
    public HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    public int jmxPort() {
        return port;
    }

    public int httpPort() {
        return httpPort;
    }

    public JMXServiceURL url() throws IOException {
        return new JMXServiceURL("service:jmx:rmi:///jndi/rmi://127.0.0.1:" + port + "/jmxrmi");
    }

    public MBeanServerConnection connection() throws IOException {
        if (connector == null) {
            connector = JMXConnectorFactory.connect(url(),
                    Map.of(JMXConnector.CREDENTIALS, new String[]{USER, PASSWORD}));
        }
        return connector.getMBeanServerConnection();
    }

    public JobControlMBean job(String name) throws Exception {
        return JMX.newMBeanProxy(connection(), CaravanServer.objectName(name), JobControlMBean.class);
    }

    public boolean hasJob(String name) throws Exception {
        ObjectName objectName = CaravanServer.objectName(name);
        return connection().isRegistered(objectName);
    }

    /** Runs the job and waits until it is idle again; returns its last report. */
    public String runToCompletion(String name) throws Exception {
        JobControlMBean job = job(name);
        try {
            job.run();
        } catch (RuntimeException e) {
            throw new AssertionError("run of " + name + " refused: " + e.getMessage() + "\nserve log:\n" + log(), e);
        }
        await(Duration.ofSeconds(120), () -> job.getState().equals("IDLE"));
        return job.getLastReport();
    }

    public String log() {
        try {
            return Files.readString(log);
        } catch (IOException e) {
            return "";
        }
    }

    public Process process() {
        return process;
    }

    public void await(Duration timeout, BooleanSupplier condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("caravan serve exited: " + log());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out; serve log:\n" + log());
            }
            Thread.sleep(50);
        }
    }

    /** SIGTERM, and wait for a clean exit. */
    public int terminate() throws Exception {
        closeConnector();
        process.destroy();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("serve did not stop within 60 s of SIGTERM: " + log());
        }
        return process.exitValue();
    }

    private void closeConnector() throws IOException {
        if (connector != null) {
            connector.close();
            connector = null;
        }
    }

    @Override
    public void close() throws Exception {
        closeConnector();
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }
}
