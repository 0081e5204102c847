package io.caravan.ops.http;

import io.vertx.core.Future;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.auth.User;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.AuthenticationHandler;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.ext.web.handler.SimpleAuthenticationHandler;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/** {@code Authorization: Bearer <caravan.http.token>}: full (readwrite) access, for scripts and {@code caravan trigger}. */
final class BearerToken {

    private static final String SCHEME = "Bearer ";

    private BearerToken() {
    }

    static AuthenticationHandler handler(String token) {
        byte[] expected = token.getBytes(StandardCharsets.UTF_8);
        return SimpleAuthenticationHandler.create().authenticate(ctx -> authenticate(ctx, expected));
    }

    private static Future<User> authenticate(RoutingContext ctx, byte[] expected) {
        String header = ctx.request().getHeader(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())
                && MessageDigest.isEqual(expected, header.substring(SCHEME.length()).trim()
                .getBytes(StandardCharsets.UTF_8))) {
            return Future.succeededFuture(ControlUsers.withRole("token", ControlUsers.READWRITE));
        }
        return Future.failedFuture(new HttpException(401));
    }
}
