package io.caravan.ops.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.AuthenticationProvider;
import io.vertx.ext.auth.authentication.UsernamePasswordCredentials;
import io.vertx.ext.auth.authorization.RoleBasedAuthorization;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The users of remote JMX, for HTTP as well: passwords from the JDK password file ({@code config/jmx.password}),
 * roles from the JDK access file ({@code config/jmx.access}: {@code readonly} or {@code readwrite}). Both files are
 * read on every attempt, so an edited password applies at once. A user without a role is refused, as JMX does.
 */
public final class ControlUsers implements AuthenticationProvider {

    public static final String READONLY = "readonly";
    public static final String READWRITE = "readwrite";
    /** What the JDK hashes with when it rewrites the password file, unless the line names another algorithm. */
    private static final String JDK_HASH = "SHA3-512";

    private final Path passwords;
    private final Path access;

    public ControlUsers(Path passwords, Path access) {
        this.passwords = passwords;
        this.access = access;
    }

    public boolean configured() {
        return Files.isReadable(passwords) && Files.isReadable(access);
    }

    /** The user's role if the password is right, else empty. */
    public Optional<String> roleOf(String user, String password) {
        try {
            String[] entry = lines(passwords).get(user);
            String[] grant = lines(access).get(user);
            if (entry == null || grant == null || grant.length < 2 || !matches(entry, password)) {
                return Optional.empty();
            }
            return Optional.of(grant[1]).filter(r -> r.equals(READONLY) || r.equals(READWRITE));
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /** {@code user password}, or {@code user salt hash [algorithm]} once the JDK has hashed the file in place. */
    private static boolean matches(String[] entry, String password) throws GeneralSecurityException {
        byte[] given = password.getBytes(StandardCharsets.UTF_8);
        if (entry.length == 2) {
            return MessageDigest.isEqual(entry[1].getBytes(StandardCharsets.UTF_8), given);
        }
        if (entry.length < 3) {
            return false;
        }
        MessageDigest digest = MessageDigest.getInstance(entry.length > 3 ? entry[3] : JDK_HASH);
        digest.update(Base64.getDecoder().decode(entry[1]));
        return MessageDigest.isEqual(digest.digest(given), Base64.getDecoder().decode(entry[2]));
    }

    /** The JDK's file format: a user per line, fields separated by white space, # starts a comment line. */
    private static Map<String, String[]> lines(Path file) throws IOException {
        Map<String, String[]> byUser = new HashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            String trimmed = line.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("#")) {
                String[] fields = trimmed.split("\\s+");
                byUser.put(fields[0], fields);
            }
        }
        return byUser;
    }

    @Override
    public void authenticate(JsonObject credentials, Handler<AsyncResult<User>> result) {
        UsernamePasswordCredentials given = new UsernamePasswordCredentials(credentials);
        Optional<String> role = roleOf(given.getUsername(), given.getPassword());
        result.handle(role.isPresent() ? Future.succeededFuture(withRole(given.getUsername(), role.get()))
                : Future.failedFuture("unknown user or wrong password"));
    }

    static User withRole(String name, String role) {
        User user = User.fromName(name);
        user.authorizations().add("caravan", RoleBasedAuthorization.create(role));
        return user;
    }
}
