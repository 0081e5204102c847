package io.caravan.source;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A file's content type from its extension, asked of the platform once per extension: the platform's
 * detector locks, and every worker would otherwise queue on it for every file.
 */
public final class ContentTypes {

    private static final Map<String, Optional<String>> BY_EXTENSION = new ConcurrentHashMap<>();

    private ContentTypes() {
    }

    public static String of(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        if (dot < 0 || dot == name.length() - 1) {
            return null;
        }
        String extension = name.substring(dot + 1).toLowerCase(Locale.ROOT);
        return BY_EXTENSION.computeIfAbsent(extension, ContentTypes::probe).orElse(null);
    }

    private static Optional<String> probe(String extension) {
        try {
            return Optional.ofNullable(Files.probeContentType(Path.of("file." + extension)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
