package io.caravan.ops;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Route;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reloads one job when its route file is added, edited or deleted, and touches no other job's routes.
 * Camel's own route reloading (4.18) neither re-creates templated routes nor sees deletions, so serve does this.
 * A broken edit is logged and kept as the job's error, and the last version that loaded keeps running.
 * An edit of a job that is mid-run waits until the run ends.
 */
public final class RouteFileReloader implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReloader.class);
    static final String SUFFIX = ".camel.yaml";

    private final CamelContext camel;
    private final Predicate<String> isRunning;
    private final Consumer<String> loaded;
    private final Map<String, byte[]> lastGood = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final Map<String, Path> deferred = new ConcurrentHashMap<>();

    /** @param loaded told the name of each job whose routes were (re)loaded */
    public RouteFileReloader(CamelContext camel, Predicate<String> isRunning, Consumer<String> loaded) {
        this.camel = camel;
        this.isRunning = isRunning;
        this.loaded = loaded;
    }

    public static String jobOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - SUFFIX.length());
    }

    /** The content that loaded at start-up, to fall back on if the first edit is broken. */
    public void loadedAtStart(Path file) throws IOException {
        lastGood.put(jobOf(file), Files.readAllBytes(file));
    }

    /** The error of the job's last edit, or null when its file loaded. */
    public String errorOf(String job) {
        return errors.get(job);
    }

    @Override
    public void process(Exchange exchange) {
        Path file = Path.of(exchange.getMessage().getHeader("CamelFileAbsolutePath", String.class));
        if (file.getFileName().toString().endsWith(SUFFIX)) {
            reload(file);
        }
    }

    public void reload(Path file) {
        reload(file, false);
    }

    /** Reloads the job's routes even if its file did not change: after its settings changed. */
    public void reloadRoutesOf(Path file) {
        reload(file, true);
    }

    private synchronized void reload(Path file, boolean force) {
        String job = jobOf(file);
        if (isRunning.test(job)) {
            LOG.info("job {} is running: its edited route file loads when the run ends", job);
            deferred.put(job, file);
            return;
        }
        byte[] content = read(file);
        if (!force && content != null && Arrays.equals(content, lastGood.get(job)) && !errors.containsKey(job)) {
            return; // one save often raises several events
        }
        if (content != null && content.length == 0) {
            return; // an editor truncates before it writes: wait for the content
        }
        String syntaxError = content == null ? null : yamlSyntaxError(content);
        if (syntaxError != null) {
            // the running routes are not touched at all
            errors.put(job, "broken edit of " + file.getFileName() + ", the previous version keeps running: "
                    + syntaxError);
            LOG.error("job {}: {}", job, errors.get(job));
            return;
        }
        removeRoutes(job);
        if (content == null) {
            lastGood.remove(job);
            errors.remove(job);
            LOG.info("job {} removed: its route file was deleted", job);
            return;
        }
        try {
            load(file, content);
            lastGood.put(job, content);
            errors.remove(job);
            LOG.info("job {} reloaded from {}", job, file);
            loaded.accept(job);
        } catch (Exception e) {
            removeRoutes(job);
            String message = "broken edit of " + file.getFileName() + ", the previous version keeps running: "
                    + rootMessage(e);
            errors.put(job, message);
            LOG.error("job {}: {}", job, message);
            byte[] previous = lastGood.get(job);
            if (previous != null) {
                try {
                    load(file, previous);
                    LOG.info("job {}: previous version restored, routes {}", job, camel.getRoutes().stream()
                            .map(Route::getRouteId).filter(id -> id.startsWith(job + ".")).toList());
                } catch (Exception again) {
                    LOG.error("job {}: its previous version does not load either: {}", job, rootMessage(again));
                }
            }
        }
    }

    /** Applies an edit that waited for the job's run to end. */
    public void runEnded(String job) {
        Path file = deferred.remove(job);
        if (file != null) {
            reload(file);
        }
    }

    private void load(Path file, byte[] content) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(ResourceHelper.fromBytes("file:" + file, content));
    }

    private void removeRoutes(String job) {
        List<String> ids = camel.getRoutes().stream().map(Route::getRouteId)
                .filter(id -> id.startsWith(job + ".")).toList();
        for (String id : ids) {
            try {
                camel.getRouteController().stopRoute(id);
                camel.removeRoute(id);
            } catch (Exception e) {
                LOG.warn("cannot remove route {}: {}", id, e.getMessage());
            }
        }
    }

    private static String yamlSyntaxError(byte[] content) {
        try {
            new Load(LoadSettings.builder().build()).loadAllFromString(new String(content, StandardCharsets.UTF_8))
                    .forEach(document -> { });
            return null;
        } catch (YamlEngineException e) {
            return e.getMessage().replace('\n', ' ');
        }
    }

    private static byte[] read(Path file) {
        try {
            return Files.exists(file) ? Files.readAllBytes(file) : null;
        } catch (IOException e) {
            return null;
        }
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        Set<Throwable> seen = new HashSet<>();
        while (t.getCause() != null && seen.add(t)) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }
}
