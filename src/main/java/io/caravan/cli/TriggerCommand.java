package io.caravan.cli;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.ops.http.ControlAccess;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.concurrent.Callable;

/**
 * Triggers a job of a running {@code caravan serve} through its HTTP port (Jolokia). Off loopback it sends
 * {@code caravan.http.token} as a bearer token when this home has one, else {@code --user}'s basic credentials.
 */
@Command(name = "trigger", description = "Run a job in the serving process (caravan serve) of this home, "
        + "through its HTTP port; with --wait, wait for the end of the run and exit with its code.")
final class TriggerCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--dry-run", description = "Plan only")
    boolean dryRun;

    @Option(names = "--wait", description = "Wait for the run to end; print its report; exit with its code")
    boolean await;

    @Option(names = "--user", paramLabel = "NAME", description = "A readwrite user of config/jmx.password, when serve "
            + "is off loopback and this home has no caravan.http.token; the password from CARAVAN_HTTP_PASSWORD, "
            + "else asked for")
    String user;

    @Override
    public Integer call() throws Exception {
        JobSettings engine = JobSettings.engine(workspace().home(), overrides);
        boolean withToken = !engine.string(ControlAccess.TOKEN, "").isBlank();
        ServeClient serve = new ServeClient(engine, withToken ? null : user,
                withToken || user == null ? null : password());
        try {
            System.out.println("started run " + serve.exec(job, dryRun ? "dryRun" : "run").asText());
            if (!await) {
                return 0;
            }
            while (!"IDLE".equals(serve.read(job, "State").asText())) {
                Thread.sleep(500);
            }
            System.out.print(serve.read(job, "LastReport").asText());
            return serve.read(job, "LastExitCode").asInt();
        } catch (ServeClient.NotServing e) {
            throw new ConfigException(e.getMessage());
        }
    }

    private char[] password() {
        String fromEnvironment = System.getenv("CARAVAN_HTTP_PASSWORD");
        if (fromEnvironment != null) {
            return fromEnvironment.toCharArray();
        }
        if (System.console() == null) {
            throw new ConfigException("--user " + user + ": give the password in CARAVAN_HTTP_PASSWORD");
        }
        return System.console().readPassword("password of %s: ", user);
    }
}
