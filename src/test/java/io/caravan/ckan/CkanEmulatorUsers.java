package io.caravan.ckan;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;

import static io.caravan.ckan.CkanEmulator.JSON;

/** Users and their API tokens: user_create, user_show, user_list, user_update, api_token_create. */
final class CkanEmulatorUsers {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final List<String> STORED = List.of("id", "name", "fullname", "created", "about", "last_active",
            "activity_streams_email_notifications", "sysadmin", "state", "image_url", "email");

    private final Map<String, ObjectNode> byId = new ConcurrentHashMap<>();
    private final Map<String, String> idByName = new ConcurrentHashMap<>();
    private final Map<String, String> userIdByToken = new ConcurrentHashMap<>();
    /** number_created_packages: (user id, counted for the user or a sysadmin) → count. */
    private final BiFunction<String, Boolean, Long> createdPackages;

    private CkanEmulatorImages images;

    CkanEmulatorUsers(BiFunction<String, Boolean, Long> createdPackages) {
        this.createdPackages = createdPackages;
    }

    void images(CkanEmulatorImages uploaded) {
        this.images = uploaded;
    }

    /** Seeds a user as CKAN holds it; the apikey and password of a fixture are dropped. */
    synchronized ObjectNode put(JsonNode user) {
        ObjectNode u = JSON.createObjectNode();
        u.put("id", user.path("id").asText(UUID.randomUUID().toString())).put("name", user.path("name").asText())
                .putNull("fullname").put("created", CkanEmulator.now()).putNull("about").putNull("last_active")
                .put("activity_streams_email_notifications", false).put("sysadmin", false).put("state", "active")
                .putNull("image_url").putNull("email");
        STORED.forEach(k -> {
            if (user.has(k)) {
                u.set(k, user.get(k));
            }
        });
        find(u.get("id").asText()).ifPresent(old -> idByName.remove(old.get("name").asText()));
        byId.put(u.get("id").asText(), u);
        idByName.put(u.get("name").asText(), u.get("id").asText());
        return u;
    }

    Optional<ObjectNode> find(String idOrName) {
        if (idOrName == null) {
            return Optional.empty();
        }
        ObjectNode u = byId.get(idOrName);
        if (u == null) {
            String id = idByName.get(idOrName);
            u = id == null ? null : byId.get(id);
        }
        return Optional.ofNullable(u);
    }

    /** The user a token stands for; an unknown token is anonymous, as in CKAN 2.10 (recorded, steps 52-54). */
    Optional<ObjectNode> byToken(String token) {
        return token == null ? Optional.empty() : Optional.ofNullable(userIdByToken.get(token)).flatMap(this::find);
    }

    String issueToken(String userId, String token) {
        userIdByToken.put(token, userId);
        return token;
    }

    String issueToken(String userId) {
        byte[] bytes = new byte[24];
        RANDOM.nextBytes(bytes);
        return issueToken(userId, "emulated-" + HexFormat.of().formatHex(bytes));
    }

    /** user_show's dict: email and apikey only for a sysadmin or the user, password never. */
    ObjectNode dictize(ObjectNode u, Optional<ObjectNode> viewer) {
        boolean privileged = viewer.map(v -> v.path("sysadmin").asBoolean(false)
                || v.get("id").asText().equals(u.get("id").asText())).orElse(false);
        ObjectNode d = u.deepCopy();
        d.remove("email");
        String fullname = u.path("fullname").asText("");
        d.put("display_name", fullname.isEmpty() ? u.get("name").asText() : fullname);
        d.put("email_hash", md5(u.path("email").asText("").trim().toLowerCase()));
        d.put("number_created_packages", createdPackages.apply(u.get("id").asText(), privileged));
        if (privileged) {
            d.putNull("apikey");
            d.set("email", u.get("email"));
        }
        String display = images == null ? null : images.displayUrl("user", u.path("image_url").asText(null));
        if (display == null) {
            d.putNull("image_display_url");
        } else {
            d.put("image_display_url", display);
        }
        return d;
    }

    JsonNode create(CkanEmulatorCall call) {
        if (!call.sysadmin()) {
            throw CkanEmulatorAnswer.denied(call.userName(), "create users");
        }
        synchronized (this) {
            Map<String, String> errors = new LinkedHashMap<>();
            String name = call.param("name", "");
            String nameError = CkanEmulator.nameError(name);
            if (nameError != null) {
                errors.put("name", nameError);
            } else if (idByName.containsKey(name)) {
                errors.put("name", "That login name is not available.");
            }
            if (call.param("email", "").isBlank()) {
                errors.put("email", "Missing value");
            }
            String password = call.param("password", "");
            if (password.isEmpty()) {
                errors.put("password", "Missing value");
            } else if (password.length() < 8) {
                errors.put("password", "Your password must be 8 characters or longer");
            }
            if (!errors.isEmpty()) {
                throw CkanEmulatorAnswer.invalid(errors);
            }
            ObjectNode given = call.body().deepCopy();
            if (given.path("id").asText("").isEmpty() || byId.containsKey(given.path("id").asText())) {
                given.remove("id"); // CKAN gives an id; a given one is kept (user_dict_save), as a migration showed
            }
            return dictize(put(given), call.viewer());
        }
    }

    JsonNode show(CkanEmulatorCall call) {
        String id = call.param("id", call.param("user_id"));
        return dictize(find(id).orElseThrow(CkanEmulatorAnswer::notFound), call.viewer());
    }

    JsonNode list(CkanEmulatorCall call) {
        String q = call.param("q", "").toLowerCase();
        boolean allFields = !"false".equalsIgnoreCase(call.param("all_fields"));
        ArrayNode list = JSON.createArrayNode();
        // CKAN orders user_list by display_name (recorded at step 6: ckan_admin's "Administrateur CKAN" first)
        byId.values().stream().filter(u -> u.path("state").asText().equals("active"))
                .filter(u -> u.get("name").asText().contains(q))
                .map(u -> dictize(u, call.viewer()))
                .sorted(Comparator.comparing((ObjectNode u) -> u.get("display_name").asText())
                        .thenComparing(u -> u.get("name").asText()))
                .forEach(u -> list.add(allFields ? u : JSON.getNodeFactory().textNode(u.get("name").asText())));
        return list;
    }

    JsonNode update(CkanEmulatorCall call) {
        ObjectNode current = find(call.param("id")).orElseThrow(CkanEmulatorAnswer::notFound);
        boolean self = call.userId().map(current.get("id").asText()::equals).orElse(false);
        if (!call.sysadmin() && !self) {
            throw CkanEmulatorAnswer.denied(call.userName(), "edit user " + current.get("id").asText());
        }
        String password = call.param("password");
        if (password != null && password.length() < 8) {
            throw CkanEmulatorAnswer.invalid("password", "Your password must be 8 characters or longer");
        }
        synchronized (this) {
            ObjectNode next = current.deepCopy();
            call.body().fields().forEachRemaining(f -> {
                if (STORED.contains(f.getKey()) && !f.getKey().equals("id") && !f.getKey().equals("name")
                        && (!f.getKey().equals("sysadmin") || call.sysadmin())) {
                    next.set(f.getKey(), f.getValue());
                }
            });
            return dictize(put(next), call.viewer());
        }
    }

    JsonNode tokenCreate(CkanEmulatorCall call) {
        ObjectNode user = find(call.param("user")).orElseThrow(CkanEmulatorAnswer::notFound);
        boolean self = call.userId().map(user.get("id").asText()::equals).orElse(false);
        if (!call.sysadmin() && !self) {
            throw CkanEmulatorAnswer.denied(call.userName(), "create API tokens for " + user.get("name").asText());
        }
        return JSON.createObjectNode().put("token", issueToken(user.get("id").asText()));
    }

    private static String md5(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8));
            return String.format("%032x", new BigInteger(1, digest));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
