package io.caravan.plan;

import io.caravan.item.Item;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;

/**
 * Include/exclude globs and age limits. A pattern without '/' matches the file name at any depth
 * ({@code *.tmp}); a pattern with '/' matches the whole key ({@code logs/**}). Items with a listing problem
 * always pass, so they reach the rejects file instead of vanishing silently.
 */
public final class ItemFilter {

    private final List<Glob> includes;
    private final List<Glob> excludes;
    private final Duration minAge;
    private final Duration maxAge;
    private final Clock clock;

    public ItemFilter(String includes, String excludes, Duration minAge, Duration maxAge, Clock clock) {
        this.includes = globs(includes);
        this.excludes = globs(excludes);
        this.minAge = minAge;
        this.maxAge = maxAge;
        this.clock = clock;
    }

    public boolean accepts(Item item) {
        if (!item.isUsable()) {
            return true;
        }
        if (!includes.isEmpty() && includes.stream().noneMatch(g -> g.matches(item.key()))) {
            return false;
        }
        if (excludes.stream().anyMatch(g -> g.matches(item.key()))) {
            return false;
        }
        long age = clock.millis() - item.lastModified();
        return (minAge == null || age >= minAge.toMillis()) && (maxAge == null || age <= maxAge.toMillis());
    }

    private static List<Glob> globs(String csv) {
        if (csv == null || csv.isBlank()) {
            return List.of();
        }
        return Arrays.stream(csv.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(Glob::new).toList();
    }

    private record Glob(boolean wholeKey, PathMatcher matcher) {
        Glob(String pattern) {
            this(pattern.contains("/"), FileSystems.getDefault().getPathMatcher("glob:" + pattern));
        }

        boolean matches(String key) {
            Path path = Path.of(key);
            return matcher.matches(wholeKey ? path : path.getFileName());
        }
    }
}
