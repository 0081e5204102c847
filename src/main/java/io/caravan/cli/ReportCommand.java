package io.caravan.cli;

import io.caravan.job.ConfigException;
import io.caravan.job.JobSettings;
import io.caravan.report.HtmlReport;
import io.caravan.report.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

@Command(name = "report", description = "Print the path of a run's report.html (the latest run's unless --run is"
        + " given), to open in a browser: it needs no network. A run from before report.html existed gets one"
        + " written from its report.json. Exit 0, or 2 when the job has no such run.")
final class ReportCommand extends JobOptions implements Callable<Integer> {

    @Parameters(index = "0", paramLabel = "JOB")
    String job;

    @Option(names = "--run", paramLabel = "ID", description = "The run's id, as its folder under data/runs/<job>/"
            + " is named")
    String run;

    @Override
    public Integer call() throws IOException {
        JobSettings settings = workspace().settings(job, overrides);
        Path runs = workspace().dataDir(settings).resolve("runs").resolve(job);
        Path folder;
        if (run == null) {
            folder = latest(runs).orElseThrow(
                    () -> new ConfigException("job " + job + " has no run with a report under " + runs));
        } else {
            folder = runs.resolve(run);
            boolean named = !run.contains("/") && !run.contains("\\") && !run.startsWith(".");
            if (!named || !Files.isRegularFile(folder.resolve("report.json"))) {
                throw new ConfigException("job " + job + " has no run " + run + " with a report under " + runs);
            }
        }
        Path page = folder.resolve(HtmlReport.FILE);
        if (!Files.exists(page)) {
            String json = Files.readString(folder.resolve("report.json"), StandardCharsets.UTF_8);
            Files.writeString(page, HtmlReport.of(RunReport.fromJson(json)), StandardCharsets.UTF_8);
        }
        System.out.println(page.toAbsolutePath().normalize());
        return RunReport.EXIT_OK;
    }

    /** Run ids begin with their start time, so the last in name order that has a report is the latest. */
    private static Optional<Path> latest(Path runs) throws IOException {
        if (!Files.isDirectory(runs)) {
            return Optional.empty();
        }
        try (Stream<Path> all = Files.list(runs)) {
            return all.filter(p -> Files.isRegularFile(p.resolve("report.json")))
                    .max(Comparator.comparing(p -> p.getFileName().toString()));
        }
    }
}
