package io.caravan.ops;

import io.caravan.job.RouteFiles;
import io.methvin.watcher.DirectoryChangeEvent;
import io.methvin.watcher.DirectoryWatcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;

/**
 * Watches the home's route files, Kamelets and settings (directory-watcher, the library camel-file-watch is built
 * on) and hands each change to serve, one at a time: a route file or Kamelet created, changed or deleted, a settings
 * file created or changed.
 */
final class HomeWatcher implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(HomeWatcher.class);

    private final Path routes;
    private final Path kamelets;
    private final Path config;
    private final Consumer<Path> routeFileChanged;
    private final Consumer<Path> settingsChanged;
    private final ExecutorService thread = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "caravan-home-watcher");
        t.setDaemon(true);
        return t;
    });
    private DirectoryWatcher watcher;

    /**
     * @param routeFileChanged given {@code routes/*.camel.yaml}, {@code routes/*.java} and
     *                         {@code routes/kamelets/*.kamelet.yaml} files
     * @param settingsChanged  given {@code config/**.properties} files
     */
    HomeWatcher(Path routes, Path kamelets, Path config, Consumer<Path> routeFileChanged,
                Consumer<Path> settingsChanged) {
        this.routes = routes;
        this.kamelets = kamelets;
        this.config = config;
        this.routeFileChanged = routeFileChanged;
        this.settingsChanged = settingsChanged;
    }

    void start() {
        try {
            Files.createDirectories(config);
            watcher = DirectoryWatcher.builder().paths(List.of(routes, config)).fileHashing(false)
                    .listener(this::onEvent).build();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot watch " + routes + " and " + config, e);
        }
        watcher.watchAsync(thread);
    }

    private void onEvent(DirectoryChangeEvent event) {
        if (event.isDirectory() || event.eventType() == DirectoryChangeEvent.EventType.OVERFLOW) {
            return;
        }
        Path file = event.path();
        String name = file.getFileName().toString();
        try {
            if (file.startsWith(config)) {
                if (name.endsWith(".properties") && event.eventType() != DirectoryChangeEvent.EventType.DELETE) {
                    settingsChanged.accept(file);
                }
            } else if (file.getParent().equals(routes) && RouteFiles.isRouteFile(file)
                    || file.getParent().equals(kamelets) && name.endsWith(RouteFileReloader.KAMELET_SUFFIX)) {
                routeFileChanged.accept(file);
            }
        } catch (RuntimeException e) {
            LOG.error("a change to {} could not be applied: {}", file, e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        try {
            if (watcher != null) {
                watcher.close();
            }
        } catch (IOException e) {
            LOG.warn("stopping the watch of {}: {}", routes, e.getMessage());
        }
        thread.shutdownNow();
    }
}
