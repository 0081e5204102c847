package io.caravan.report;

import io.caravan.testing.TestHome;
import io.caravan.testing.Trees;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * On a terminal (a pseudo-terminal made by script(1)), progress is one line redrawn in place: carriage returns and
 * erase-to-end-of-line, no "progress:" lines; off a terminal, plain lines.
 */
class ProgressOnTerminalTest {

    @TempDir
    Path dir;

    @Test
    void should_redraw_one_line_on_a_terminal_and_print_lines_elsewhere() throws Exception {
        assumeThat(Path.of("/usr/bin/script")).as("script(1), from util-linux").exists();
        Path tree = dir.resolve("tree");
        Trees.generate(tree, 300, 5);
        TestHome home = new TestHome(dir.resolve("home"));
        home.route("slow").job("slow", Map.of("source.type", "folder", "source.root", tree.toString(),
                "target.type", "folder", "target.root", dir.resolve("copy").toString(),
                "caravan.rate-limit", "100", "caravan.progress-interval", "1s"));

        List<String> command = home.command(List.of(), "run", "slow");
        List<String> onTerminal = new ArrayList<>(List.of("/usr/bin/script", "-qefc",
                command.stream().map(ProgressOnTerminalTest::quoted).collect(Collectors.joining(" ")), "/dev/null"));
        Path terminalLog = dir.resolve("terminal.log");
        Process run = new ProcessBuilder(onTerminal).redirectErrorStream(true).redirectOutput(terminalLog.toFile())
                .start();
        assertThat(run.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String terminal = Files.readString(terminalLog, StandardCharsets.UTF_8);
        assertThat(run.exitValue()).as(terminal).isZero();
        assertThat(terminal).as("redrawn in place").contains("\r[").contains("\u001b[K").contains("ETA")
                .doesNotContain("progress:");

        Path plainLog = dir.resolve("plain.log");
        Process plain = home.start(plainLog, List.of(), "run", "slow", "--set", "target.root=" + dir.resolve("again"));
        assertThat(plain.waitFor(120, TimeUnit.SECONDS)).isTrue();
        String lines = Files.readString(plainLog, StandardCharsets.UTF_8);
        assertThat(lines).contains("\nprogress: ").doesNotContain("\u001b[K");
    }

    private static String quoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
