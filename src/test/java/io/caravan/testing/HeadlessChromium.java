package io.caravan.testing;

import org.openqa.selenium.OutputType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.logging.Level;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** Debian's chromium and chromium-driver, headless, for the browser checks (.ci/run installs them when absent). */
public final class HeadlessChromium {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private HeadlessChromium() {
    }

    /** Skips the test, saying what is not checked and why, only when the browser or its driver is absent. */
    public static void assumeInstalled(String notChecked) {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                notChecked + " is not checked in a browser: " + CHROMIUM + " or " + CHROMEDRIVER + " is absent"
                        + " (apt-get install chromium chromium-driver; .ci/run installs them)");
    }

    /**
     * A headless browser of this window size, its console kept for {@code manage().logs()}. Neither binds the
     * wildcard address: the driver's port is found on 127.0.0.1 (Selenium's own search binds it on every address),
     * and the browser resolves no names (its DNS client sent each query from a socket bound to 0.0.0.0); the tests'
     * pages are at 127.0.0.1.
     */
    public static ChromeDriver start(int width, int height) {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingPort(LoopbackPorts.free()).build();
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
                .addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                        "--disable-background-networking", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
                        "--window-size=" + width + "," + height);
        options.setCapability(ChromeOptions.LOGGING_PREFS, logs);
        return new ChromeDriver(service, options);
    }

    /** Keeps what the browser shows as target/NAME.png. */
    public static void screenshot(ChromeDriver browser, String name) throws IOException {
        Path shot = browser.getScreenshotAs(OutputType.FILE).toPath();
        Files.createDirectories(Path.of("target"));
        Files.copy(shot, Path.of("target/" + name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }
}
