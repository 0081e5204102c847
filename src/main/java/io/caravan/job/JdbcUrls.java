package io.caravan.job;

/** JDBC URLs as they may be shown: a password given in the URL is masked. */
public final class JdbcUrls {

    private JdbcUrls() {
    }

    public static String withoutPassword(String url) {
        return url.replaceAll("password=[^;&]*", "password=***");
    }
}
