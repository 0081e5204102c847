package io.caravan.pipeline;

import io.caravan.job.ConfigException;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.MainListenerSupport;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A Java DSL route file for {@code caravan run}, compiled and loaded once Camel is configured: after the Kamelets,
 * which its templated routes instantiate.
 */
final class JavaRouteFile extends MainListenerSupport {

    private final Path file;

    JavaRouteFile(Path file) {
        this.file = file;
    }

    @Override
    public void afterConfigure(BaseMainSupport main) {
        try {
            RouteResources.load(main.getCamelContext(), file, Files.readAllBytes(file));
        } catch (ConfigException e) {
            throw e;
        } catch (Exception e) {
            throw new ConfigException(file + " does not load: " + RouteResources.loadError(e));
        }
    }
}
