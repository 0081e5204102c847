package io.caravan.cli;

import io.caravan.item.JobFatalException;
import io.caravan.job.ConfigException;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** {@code caravan}: run, verify and inspect migration jobs, or serve them as a long-lived process. */
@Command(name = "caravan", mixinStandardHelpOptions = true, version = "caravan 0.1.0",
        description = "Resumable, verified data and file migrations.",
        subcommands = {RunCommand.class, VerifyCommand.class, StatusCommand.class, ServeCommand.class,
                TriggerCommand.class, RollbackCommand.class, ForgetCommand.class, ReportCommand.class,
                WorkCommand.class})
public final class CaravanCommand {

    @Option(names = "--home", defaultValue = ".", description = "Folder holding config/, routes/ and data/ (default: .)")
    Path home;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    public static int execute(String... args) {
        warnUnlessUtf8FileNames();
        // logging is set up here, on one thread, before a command starts others (caravan run starts Camel on one):
        // SLF4J replays, with a warning, the calls other threads make while it is being set up
        LoggerFactory.getILoggerFactory();
        return new CommandLine(new CaravanCommand())
                .setExecutionExceptionHandler(CaravanCommand::handle)
                .execute(args);
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        if (e instanceof ConfigException || e instanceof JobFatalException) {
            // a user's error (a setting, a missing file, a refused token): its message, no stack trace
            cmd.getErr().println("caravan: " + e.getMessage());
        } else {
            LoggerFactory.getLogger(CaravanCommand.class).error("job-fatal error", e);
            cmd.getErr().println("caravan: " + e);
        }
        return 2;
    }

    private static void warnUnlessUtf8FileNames() {
        String encoding = System.getProperty("sun.jnu.encoding", "");
        if (!encoding.equalsIgnoreCase("UTF-8")) {
            System.err.println("caravan: warning: file names are decoded as " + encoding
                    + "; run with LC_ALL=C.UTF-8 (bin/caravan does) so that non-ASCII names migrate");
        }
    }
}
