package io.caravan.ops.http;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.BasicAuthHandler;
import io.vertx.ext.web.handler.ChainAuthHandler;
import org.apache.camel.main.MainHttpServerFactory;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;

/**
 * Who may use the HTTP port when it is not on loopback: users of {@code config/jmx.password} with their role in
 * {@code config/jmx.access} (HTTP basic), or {@code caravan.http.token} (a bearer token, full access). Metrics
 * and Jolokia need one of them; Jolokia's exec and write need the readwrite role. Health stays open for probes.
 * On loopback nothing is required, as before, unless {@code caravan.http.auth = always} (a host shared by users
 * who should not all control Caravan).
 */
public final class ControlAccess {

    public static final String TOKEN = "caravan.http.token";
    /** {@code off-loopback} (the default): credentials only off loopback; {@code always}: on loopback too. */
    public static final String AUTH = "caravan.http.auth";
    static final String REALM = "caravan";

    private final ControlUsers users;
    private final String token;

    private ControlAccess(ControlUsers users, String token) {
        this.users = users;
        this.token = token;
    }

    /**
     * Null when nothing is required ({@code host} is a loopback address and {@code caravan.http.auth} is not
     * {@code always}); refuses a guarded port with neither users nor a token.
     */
    public static ControlAccess requiredFor(Path home, JobSettings engine, String host) {
        String auth = engine.string(AUTH, "off-loopback").trim();
        if (!auth.equals("off-loopback") && !auth.equals("always")) {
            throw new ConfigException(AUTH + " is '" + auth + "': off-loopback or always");
        }
        boolean loopback = isLoopback(host);
        if (loopback && auth.equals("off-loopback")) {
            return null;
        }
        ControlUsers users = new ControlUsers(
                home.resolve(engine.string("caravan.jmx.remote.password-file", "config/jmx.password")),
                home.resolve(engine.string("caravan.jmx.remote.access-file", "config/jmx.access")));
        String token = engine.string(TOKEN, "").trim();
        if (!users.configured() && token.isEmpty()) {
            throw new ConfigException((loopback ? AUTH + " is always" : "caravan.http.host is " + host
                    + ", not a loopback address,") + " and nothing guards "
                    + "metrics and Jolokia there: give users in config/jmx.password with roles in config/jmx.access "
                    + "(operator readwrite, monitor readonly), or a token in " + TOKEN + " (config/secrets.properties "
                    + "or {{env:NAME}}); or set caravan.http.host = 127.0.0.1");
        }
        return new ControlAccess(users.configured() ? users : null, token.isEmpty() ? null : token);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new ConfigException("caravan.http.host: unknown host " + host);
        }
    }

    /** Camel's management server factory, with these checks in front of metrics and Jolokia. */
    public MainHttpServerFactory serverFactory() {
        return new GuardedManagementServerFactory(this);
    }

    AuthenticationHandler authentication() {
        ChainAuthHandler any = ChainAuthHandler.any();
        if (users != null) {
            any.add(BasicAuthHandler.create(users, REALM));
        }
        if (token != null) {
            any.add(BearerToken.handler(token));
        }
        return any;
    }
}
