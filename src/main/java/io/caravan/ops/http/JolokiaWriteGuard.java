package io.caravan.ops.http;

import io.vertx.core.Handler;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.DecodeException;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.authorization.RoleBasedAuthorization;
import io.vertx.ext.web.RoutingContext;

import java.util.List;
import java.util.Set;

/**
 * Lets only {@code readwrite} users (and the token) past Jolokia with anything but a read: exec (run a job) and
 * write are refused with 403 for {@code readonly} users. A read-only request is a GET whose type is read, list,
 * search or version, or a POST whose every request has such a type; anything this cannot tell is refused.
 */
final class JolokiaWriteGuard implements Handler<RoutingContext> {

    private static final Set<String> READ_TYPES = Set.of("read", "list", "search", "version");
    private static final RoleBasedAuthorization READWRITE = RoleBasedAuthorization.create(ControlUsers.READWRITE);

    private final String jolokiaPath;

    JolokiaWriteGuard(String jolokiaPath) {
        this.jolokiaPath = jolokiaPath;
    }

    @Override
    public void handle(RoutingContext ctx) {
        if (READWRITE.match(ctx.user()) || readsOnly(ctx)) {
            ctx.next();
        } else {
            ctx.fail(403);
        }
    }

    private boolean readsOnly(RoutingContext ctx) {
        List<String> pathParams = ctx.request().params().getAll("p"); // Jolokia's other way of giving the GET path
        if (!pathParams.stream().allMatch(JolokiaWriteGuard::readPath)) {
            return false;
        }
        if (ctx.request().method() == HttpMethod.GET) {
            String path = ctx.request().path();
            return path.startsWith(jolokiaPath) && readPath(path.substring(jolokiaPath.length()));
        }
        return ctx.request().method() == HttpMethod.POST && ctx.body().available() && readBody(ctx);
    }

    /** {@code /read/<mbean>/<attribute>}: the first segment is the request type; none means version. */
    private static boolean readPath(String path) {
        String rest = path.replaceFirst("^/+", "");
        String type = rest.contains("/") ? rest.substring(0, rest.indexOf('/')) : rest;
        return type.isEmpty() || READ_TYPES.contains(type);
    }

    private static boolean readBody(RoutingContext ctx) {
        Object body;
        try {
            body = Json.decodeValue(ctx.body().buffer());
        } catch (DecodeException e) {
            return false;
        }
        if (body instanceof JsonObject request) {
            return readRequest(request);
        }
        return body instanceof JsonArray bulk && !bulk.isEmpty() && bulk.stream()
                .allMatch(r -> r instanceof JsonObject request && readRequest(request));
    }

    private static boolean readRequest(JsonObject request) {
        return request.getValue("type") instanceof String type && READ_TYPES.contains(type);
    }
}
