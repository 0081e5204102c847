package io.caravan.cli;

import io.caravan.job.Workspace;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

import java.util.LinkedHashMap;
import java.util.Map;

/** What every job command takes: the home folder (from the parent) and {@code --set key=value} overrides. */
abstract class JobOptions {

    @ParentCommand
    CaravanCommand parent;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Override any setting of the job")
    Map<String, String> overrides = new LinkedHashMap<>();

    Workspace workspace() {
        return new Workspace(parent.home);
    }
}
