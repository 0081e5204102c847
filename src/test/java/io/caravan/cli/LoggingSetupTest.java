package io.caravan.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.core.ConsoleAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.ServiceLoader;

import static org.assertj.core.api.Assertions.assertThat;

class LoggingSetupTest {

    @Test
    void caravan_logs_info_and_libraries_warnings_to_stderr() {
        LoggerContext context = new LoggerContext();
        new LoggingSetup().configure(context);
        Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        assertThat(root.getLevel()).isEqualTo(Level.WARN);
        assertThat(root.getAppender("STDERR")).isInstanceOfSatisfying(ConsoleAppender.class,
                a -> assertThat(a.getTarget()).isEqualTo("System.err"));
        assertThat(context.getLogger("io.caravan.job.JobExecution").isInfoEnabled()).isTrue();
        assertThat(context.getLogger("org.apache.camel.impl.engine.DefaultCamelContext").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("com.zaxxer.hikari.HikariDataSource").isInfoEnabled()).isFalse();
        assertThat(context.getLogger("org.apache.camel.support.RouteWatcherReloadStrategy").isInfoEnabled()).isTrue();
    }

    @Test
    void the_process_is_set_up_by_it_through_logbacks_service_loader() {
        // what a logback.xml could also have set up: the service registration is what makes it LoggingSetup's
        assertThat(ServiceLoader.load(Configurator.class)).hasAtLeastOneElementOfType(LoggingSetup.class);
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        assertThat(context.getLogger(Logger.ROOT_LOGGER_NAME).getAppender("STDERR")).isNotNull();
        assertThat(context.getLogger("io.caravan").getLevel()).isEqualTo(Level.INFO);
    }
}
