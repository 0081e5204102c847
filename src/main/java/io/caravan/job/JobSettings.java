package io.caravan.job;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A job's settings, merged in this order, later wins: {@code config/application.properties} (engine defaults),
 * the files a job file names in {@code include} (settings jobs share, such as two portals' addresses),
 * {@code config/jobs/<job>.properties}, the git-ignored {@code config/secrets.properties}, then {@code --set}.
 * A value may name an environment variable as {@code {{env:NAME}}}, so secrets stay out of files.
 */
public final class JobSettings {

    private static final Pattern ENV = Pattern.compile("\\{\\{env:([A-Za-z0-9_]+)(?::([^}]*))?}}");
    private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([KMGT]i?B?|B)?", Pattern.CASE_INSENSITIVE);

    private final String job;
    private final Properties properties;
    private final Function<String, String> environment;

    JobSettings(String job, Properties properties, Function<String, String> environment) {
        this.job = job;
        this.properties = properties;
        this.environment = environment;
    }

    public static JobSettings load(Path home, String job, Map<String, String> overrides) {
        Path jobFile = home.resolve("config/jobs/" + job + ".properties");
        if (!Files.isRegularFile(jobFile)) {
            throw new ConfigException("no job named '" + job + "': " + jobFile + " does not exist");
        }
        Properties merged = new Properties();
        readInto(merged, home.resolve("config/application.properties"));
        Properties own = new Properties();
        readInto(own, jobFile);
        for (String shared : own.getProperty("include", "").split(",")) {
            if (!shared.isBlank()) {
                Path file = home.resolve(shared.strip());
                if (!Files.isRegularFile(file)) {
                    throw new ConfigException(jobFile + ": include " + file + " does not exist");
                }
                readInto(merged, file);
            }
        }
        merged.putAll(own);
        readInto(merged, home.resolve("config/secrets.properties"));
        merged.putAll(overrides);
        return new JobSettings(job, merged, System::getenv);
    }

    /** The engine's own settings, for the long-lived process: application.properties, secrets, overrides. */
    public static JobSettings engine(Path home, Map<String, String> overrides) {
        Properties merged = new Properties();
        readInto(merged, home.resolve("config/application.properties"));
        readInto(merged, home.resolve("config/secrets.properties"));
        merged.putAll(overrides);
        return new JobSettings("caravan", merged, System::getenv);
    }

    private static void readInto(Properties target, Path file) {
        if (!Files.isRegularFile(file)) {
            return;
        }
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            target.load(reader);
        } catch (IOException e) {
            throw new ConfigException("cannot read " + file + ": " + e.getMessage());
        }
    }

    public String job() {
        return job;
    }

    /**
     * The settings of one subtask of this job: the job's own, run as job {@code <job>-<subtask>} (its ledger entries,
     * reports and routes are its own) with {@code subtask} set to the subtask's name.
     */
    public JobSettings forSubtask(String subtask) {
        Properties copy = new Properties();
        copy.putAll(properties);
        copy.setProperty("subtask", subtask);
        return new JobSettings(job + "-" + subtask, copy, environment);
    }

    /** What runs when this job runs: the settings of each of its {@code subtasks}, in order, or the job itself. */
    public List<JobSettings> parts() {
        List<String> subtasks = list("subtasks");
        return subtasks.isEmpty() ? List.of(this) : subtasks.stream().map(this::forSubtask).toList();
    }

    /** A comma-separated list; empty when the key is absent. */
    public List<String> list(String key) {
        return list(key, "");
    }

    /** A comma-separated list, {@code defaultValue} (comma-separated too) when the key is absent. */
    public List<String> list(String key, String defaultValue) {
        return Arrays.stream(string(key, defaultValue).split(",")).map(String::strip).filter(v -> !v.isEmpty())
                .toList();
    }

    public String string(String key, String defaultValue) {
        String raw = properties.getProperty(key);
        return raw == null ? defaultValue : resolve(key, raw.trim());
    }

    public String required(String key) {
        String value = string(key, null);
        if (value == null || value.isEmpty()) {
            throw new ConfigException("job '" + job + "' needs setting '" + key + "'");
        }
        return value;
    }

    public int integer(String key, int defaultValue) {
        String value = string(key, null);
        try {
            return value == null ? defaultValue : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw invalid(key, value, "a whole number");
        }
    }

    public boolean flag(String key, boolean defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        if (!value.equalsIgnoreCase("true") && !value.equalsIgnoreCase("false")) {
            throw invalid(key, value, "true or false");
        }
        return Boolean.parseBoolean(value);
    }

    /** A size such as {@code 8MiB}, {@code 512KiB} or {@code 1048576}; binary units whatever the spelling. */
    public long bytes(String key, long defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            throw invalid(key, value, "a size such as 8MiB");
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "B" : m.group(2).toUpperCase(Locale.ROOT);
        return switch (unit.charAt(0)) {
            case 'K' -> n << 10;
            case 'M' -> n << 20;
            case 'G' -> n << 30;
            case 'T' -> n << 40;
            default -> n;
        };
    }

    /** A duration in ISO-8601 ({@code PT5S}) or as seconds, minutes, hours, days ({@code 30s}, {@code 2h}, {@code 7d}). */
    public Duration duration(String key, Duration defaultValue) {
        String value = string(key, null);
        if (value == null) {
            return defaultValue;
        }
        try {
            if (value.matches("\\d+[smhd]")) {
                long n = Long.parseLong(value.substring(0, value.length() - 1));
                return switch (value.charAt(value.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            return Duration.parse(value);
        } catch (DateTimeParseException e) {
            throw invalid(key, value, "a duration such as 30s, 2h or PT5M");
        }
    }

    /** Every key, for Camel's property placeholders; values are resolved only when read. */
    public Properties asProperties() {
        Properties copy = new Properties();
        for (String key : keys()) {
            copy.setProperty(key, string(key, ""));
        }
        return copy;
    }

    public Set<String> keys() {
        return properties.stringPropertyNames();
    }

    private String resolve(String key, String raw) {
        Matcher m = ENV.matcher(raw);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = environment.apply(m.group(1));
            if (value == null) {
                value = m.group(2);
            }
            if (value == null) {
                throw new ConfigException("setting '" + key + "' of job '" + job + "' names environment variable "
                        + m.group(1) + ", which is not set");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    private ConfigException invalid(String key, String value, String expected) {
        return new ConfigException("setting '" + key + "' of job '" + job + "' is '" + value + "', expected "
                + expected);
    }
}
