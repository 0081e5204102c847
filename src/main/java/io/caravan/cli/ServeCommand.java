package io.caravan.cli;

import io.caravan.ops.CaravanServer;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

@Command(name = "serve", description = "The long-lived process: every job in routes/ loaded and hot-reloaded, "
        + "an MBean per job (io.caravan:type=Job,name=<job>) to run, dry-run, pause, resume and stop it.")
final class ServeCommand extends JobOptions implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        return new CaravanServer(workspace(), overrides).serve();
    }
}
