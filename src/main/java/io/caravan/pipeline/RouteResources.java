package io.caravan.pipeline;

import io.caravan.job.ConfigException;
import io.caravan.job.RouteFiles;
import org.apache.camel.CamelContext;
import org.apache.camel.spi.Resource;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.ResourceHelper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Loads a job's route file, YAML or Java DSL, through Camel's routes loader. Camel compiles a {@code .java} file as
 * the class its file name names, and a job's name ({@code folder-to-folder}) is no class name: the file is handed to
 * Camel under the name of the public class it declares. The Java DSL loader (jOOR, javac in-process) is only touched
 * when a {@code .java} file loads, so YAML jobs start no slower for it.
 */
public final class RouteResources {

    private static final Pattern PUBLIC_CLASS = Pattern.compile("^\\s*public\\s+(?:final\\s+)?class\\s+(\\w+)",
            Pattern.MULTILINE);

    private RouteResources() {
    }

    public static void load(CamelContext camel, Path file, byte[] content) throws Exception {
        PluginHelper.getRoutesLoader(camel).loadRoutes(of(file, content));
    }

    static Resource of(Path file, byte[] content) {
        if (!RouteFiles.isJava(file)) {
            return ResourceHelper.fromBytes("file:" + file, content);
        }
        Matcher declared = PUBLIC_CLASS.matcher(new String(content, StandardCharsets.UTF_8));
        if (!declared.find()) {
            throw new ConfigException(file.getFileName() + " declares no public class: a Java DSL route file is one"
                    + " public class that extends RouteBuilder");
        }
        return ResourceHelper.fromBytes("file:" + file.resolveSibling(declared.group(1) + RouteFiles.JAVA), content);
    }

    /** Why a route file did not load, on one line: the innermost cause (a YAML parser's, javac's diagnostics). */
    public static String loadError(Throwable e) {
        Throwable t = e;
        Set<Throwable> seen = new HashSet<>();
        while (t.getCause() != null && seen.add(t)) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage()).strip().replaceAll("\\s*\\R\\s*", " ");
    }
}
