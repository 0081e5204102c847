package io.caravan.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;

import java.util.Map;

/**
 * Caravan's logging, set up in code (found by Logback's ServiceLoader): WARN and above to stderr, Caravan's own INFO
 * lines, and the route reloads of a long-lived process. Parsing the same settings from logback.xml took about
 * 140 ms of every command's start-up. {@code -Dlogback.configurationFile=...} still takes a file of one's own.
 */
public final class LoggingSetup extends ContextAwareBase implements Configurator {

    private static final Map<String, Level> LEVELS = Map.of(
            "io.caravan", Level.INFO,
            "org.apache.camel", Level.WARN,
            "org.apache.camel.support.RouteWatcherReloadStrategy", Level.INFO,
            "org.apache.camel.support.FileWatcherResourceReloadStrategy", Level.INFO,
            "com.zaxxer.hikari", Level.WARN,
            "org.flywaydb", Level.WARN);

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        if (System.getProperty("logback.configurationFile") != null) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level %logger{0} - %msg%n");
        encoder.start();
        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(context);
        stderr.setName("STDERR");
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.WARN);
        root.addAppender(stderr);
        LEVELS.forEach((name, level) -> context.getLogger(name).setLevel(level));
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }
}
