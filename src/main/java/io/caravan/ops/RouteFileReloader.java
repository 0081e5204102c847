package io.caravan.ops;

import io.caravan.job.ConfigException;
import io.caravan.job.RouteFiles;
import io.caravan.pipeline.RouteResources;
import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.model.RouteDefinition;
import org.apache.camel.model.RouteTemplateDefinition;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * Reloads one job when its route file ({@code <job>.camel.yaml} or {@code <job>.java}, see {@link RouteFiles}) is
 * added, edited or deleted, and touches no other job's routes; rebuilds the jobs when a Kamelet in
 * {@code routes/kamelets/} changes.
 * Camel's own route reloading (4.18) neither re-creates templated routes nor sees deletions, so serve does this.
 * A broken edit (a YAML syntax error, a Java compile error, routes that do not build, a second route file for the
 * same job) is logged and kept as the job's error, and the last version that loaded keeps running.
 * An edit of a job that is mid-run waits until the run ends.
 */
public final class RouteFileReloader {

    private static final Logger LOG = LoggerFactory.getLogger(RouteFileReloader.class);
    static final String KAMELET_SUFFIX = ".kamelet.yaml";

    private final CamelContext camel;
    private final Path routes;
    private final Predicate<String> isRunning;
    private final Object routesLock;
    private final Consumer<String> loaded;
    /** Each loaded job's route file and the content of it that last loaded. */
    private final Map<String, Loaded> lastGood = new ConcurrentHashMap<>();
    private final Map<String, String> errors = new ConcurrentHashMap<>();
    private final Set<String> deferred = ConcurrentHashMap.newKeySet();
    private final Map<String, byte[]> lastGoodKamelets = new ConcurrentHashMap<>();
    private final Map<String, String> kameletErrors = new ConcurrentHashMap<>();

    /**
     * @param routes     the folder of the jobs' route files
     * @param loaded     told the name of each job whose routes were (re)loaded
     * @param routesLock held while routes are rebuilt; a job's run starts holding it too
     */
    public RouteFileReloader(CamelContext camel, Path routes, Predicate<String> isRunning, Consumer<String> loaded,
                             Object routesLock) {
        this.routesLock = routesLock;
        this.camel = camel;
        this.routes = routes;
        this.isRunning = isRunning;
        this.loaded = loaded;
    }

    static String kameletOf(Path file) {
        String name = file.getFileName().toString();
        return name.substring(0, name.length() - KAMELET_SUFFIX.length());
    }

    /** The content that Camel's start-up loaded, to fall back on if the first edit is broken. */
    public void loadedAtStart(Path file) throws IOException {
        lastGood.put(RouteFiles.jobOf(file), new Loaded(file, Files.readAllBytes(file)));
    }

    /**
     * Loads a route file that Camel's start-up does not (a Java DSL one, which serve compiles itself): if it does not
     * load, that is the job's error and the other jobs serve.
     */
    public void loadAtStart(Path file) {
        synchronized (routesLock) {
            reloadLocked(RouteFiles.jobOf(file), true);
        }
    }

    /** A Kamelet that loaded at start-up. */
    public void kameletLoadedAtStart(Path file) throws IOException {
        lastGoodKamelets.put(kameletOf(file), Files.readAllBytes(file));
    }

    /** The error of the job's last edit, or of a Kamelet's last edit, or null when everything loaded. */
    public String errorOf(String job) {
        String error = errors.get(job);
        if (error == null && !kameletErrors.isEmpty()) {
            error = String.join("; ", kameletErrors.values());
        }
        return error;
    }

    /** A route file or a Kamelet was created, changed or deleted. */
    public void changed(Path file) {
        String name = file.getFileName().toString();
        if (name.endsWith(KAMELET_SUFFIX)) {
            reloadKamelet(file);
        } else if (RouteFiles.isRouteFile(file)) {
            reload(RouteFiles.jobOf(file), false);
        }
    }

    /**
     * A Kamelet was added, edited or deleted: its template is replaced, then every job that is not mid-run is
     * rebuilt from the templates (a running job is rebuilt when its run ends). If a job's routes cannot be built
     * from the new version, the previous template comes back and the error is every job's until a good edit.
     */
    private void reloadKamelet(Path file) {
        synchronized (routesLock) {
            reloadKameletLocked(file);
        }
    }

    private void reloadKameletLocked(Path file) {
        String name = kameletOf(file);
        byte[] content = read(file);
        if (content != null && (content.length == 0
                || Arrays.equals(content, lastGoodKamelets.get(name)) && !kameletErrors.containsKey(name))) {
            return;
        }
        ModelCamelContext model = (ModelCamelContext) camel;
        RouteTemplateDefinition previous = model.getRouteTemplateDefinition(name);
        if (content == null) {
            lastGoodKamelets.remove(name);
            kameletErrors.remove(name);
            LOG.warn("Kamelet {} deleted: the jobs built from it keep their routes until their files change", name);
            removeTemplate(model, previous);
            return;
        }
        String error = yamlSyntaxError(content);
        if (error == null) {
            try {
                removeTemplate(model, previous);
                load(file, content);
                error = rebuildJobs();
            } catch (Exception e) {
                error = RouteResources.loadError(e);
            }
        }
        if (error == null) {
            lastGoodKamelets.put(name, content);
            kameletErrors.remove(name);
            LOG.info("Kamelet {} reloaded from {}", name, file);
            return;
        }
        if (model.getRouteTemplateDefinition(name) != previous) {
            try {
                removeTemplate(model, model.getRouteTemplateDefinition(name));
                if (previous != null) {
                    model.addRouteTemplateDefinition(previous);
                }
                String again = rebuildJobs();
                if (again != null) {
                    LOG.error("Kamelet {}: the jobs do not build from its previous version either: {}", name, again);
                }
            } catch (Exception e) {
                LOG.error("Kamelet {}: cannot restore its previous version: {}", name, RouteResources.loadError(e));
            }
        }
        // reported once the previous version is back in place, so whoever sees the error finds the jobs runnable
        kameletErrors.put(name, "broken edit of " + file.getFileName() + ", the previous version stays in use: "
                + error);
        LOG.error("Kamelet {}: {}", name, kameletErrors.get(name));
    }

    /** Rebuilds every loaded job's routes from its last good file; a running job waits for its run to end. */
    private String rebuildJobs() {
        String firstError = null;
        for (Map.Entry<String, Loaded> job : lastGood.entrySet()) {
            if (isRunning.test(job.getKey())) {
                LOG.info("job {} is running: it is rebuilt from the edited Kamelet when its run ends", job.getKey());
                deferred.add(job.getKey());
                continue;
            }
            removeRoutes(job.getKey());
            try {
                load(job.getValue().file(), job.getValue().content());
            } catch (Exception e) {
                removeRoutes(job.getKey());
                if (firstError == null) {
                    firstError = "job " + job.getKey() + ": " + RouteResources.loadError(e);
                }
            }
        }
        return firstError;
    }

    private static void removeTemplate(ModelCamelContext model, RouteTemplateDefinition template) {
        if (template != null) {
            try {
                model.removeRouteTemplateDefinition(template);
            } catch (Exception e) {
                throw new IllegalStateException("cannot remove route template " + template.getId(), e);
            }
        }
    }

    /** Reloads the job's routes even if its file did not change: after its settings changed. */
    public void reloadRoutesOf(String job) {
        reload(job, true);
    }

    private void reload(String job, boolean force) {
        boolean reloaded;
        synchronized (routesLock) {
            reloaded = reloadLocked(job, force);
        }
        if (reloaded) {
            loaded.accept(job); // outside the lock: it takes the server's, which a settings reload holds first
        }
    }

    /** @return whether the job's routes were loaded from its file (the caller tells the server) */
    private boolean reloadLocked(String job, boolean force) {
        if (isRunning.test(job)) {
            LOG.info("job {} is running: its edited route file loads when the run ends", job);
            deferred.add(job);
            return false;
        }
        Path file;
        try {
            file = RouteFiles.of(routes, job);
        } catch (ConfigException twoFiles) {
            errors.put(job, twoFiles.getMessage() + "; the version that loaded before keeps running");
            LOG.error("job {}: {}", job, errors.get(job));
            return false;
        }
        byte[] content = read(file);
        Loaded previous = lastGood.get(job);
        if (!force && content != null && previous != null && file.equals(previous.file())
                && Arrays.equals(content, previous.content()) && !errors.containsKey(job)) {
            return false; // one save often raises several events
        }
        if (content != null && content.length == 0) {
            return false; // an editor truncates before it writes: wait for the content
        }
        String syntaxError = content == null || RouteFiles.isJava(file) ? null : yamlSyntaxError(content);
        if (syntaxError != null) {
            // the running routes are not touched at all
            errors.put(job, "broken edit of " + file.getFileName() + ", the previous version keeps running: "
                    + syntaxError);
            LOG.error("job {}: {}", job, errors.get(job));
            return false;
        }
        removeRoutes(job);
        if (content == null) {
            lastGood.remove(job);
            errors.remove(job);
            LOG.info("job {} removed: its route file was deleted", job);
            return false;
        }
        try {
            load(file, content);
            lastGood.put(job, new Loaded(file, content));
            errors.remove(job);
            LOG.info("job {} reloaded from {}", job, file);
            return true;
        } catch (Exception e) {
            removeRoutes(job);
            if (previous != null) {
                try {
                    load(previous.file(), previous.content());
                    LOG.info("job {}: previous version restored, routes {}", job, camel.getRoutes().stream()
                            .map(Route::getRouteId).filter(id -> id.startsWith(job + ".")).toList());
                } catch (Exception again) {
                    LOG.error("job {}: its previous version does not load either: {}", job,
                            RouteResources.loadError(again));
                }
            }
            // reported once the previous version is back in place
            String message = previous == null
                    ? file.getFileName() + " does not load, the job has no routes: " + RouteResources.loadError(e)
                    : "broken edit of " + file.getFileName() + ", the previous version keeps running: "
                    + RouteResources.loadError(e);
            errors.put(job, message);
            LOG.error("job {}: {}", job, message);
        }
        return false;
    }

    /** Applies an edit that waited for the job's run to end. */
    public void runEnded(String job) {
        if (deferred.remove(job)) {
            reload(job, true); // a Kamelet may have changed, not the file itself
        }
    }

    private record Loaded(Path file, byte[] content) {
    }

    private void load(Path file, byte[] content) throws Exception {
        RouteResources.load(camel, file, content);
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
        // a route that failed to build has no runtime route, but its definition stays in the model
        ModelCamelContext model = (ModelCamelContext) camel;
        List<RouteDefinition> leftovers = model.getRouteDefinitions().stream()
                .filter(d -> d.getRouteId() != null && d.getRouteId().startsWith(job + ".")).toList();
        try {
            model.removeRouteDefinitions(leftovers);
        } catch (Exception e) {
            LOG.warn("cannot remove the route definitions of job {}: {}", job, e.getMessage());
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
}
