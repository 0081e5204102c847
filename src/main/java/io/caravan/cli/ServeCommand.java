package io.caravan.cli;

import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "serve", description = "The long-lived process: every job loaded, driven over JMX and HTTP "
        + "(not built yet: use `caravan run`).")
final class ServeCommand extends JobOptions implements Callable<Integer> {

    @Override
    public Integer call() {
        System.err.println("caravan: serve is not built yet; run a job with `caravan run <job>`");
        return 2;
    }
}
