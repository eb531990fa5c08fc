package io.retryspool.sample.dashboard;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A real headless Chromium driven by Selenium through Debian's {@code chromium} and {@code chromium-driver}
 * packages ({@code .ci/run} installs them). Without them the browser tests are skipped with a message saying so,
 * except under {@code CI=true}, where they fail. When a test fails, a screenshot of the page goes to
 * {@code target/browser-screenshots/}.
 */
final class Browser implements TestWatcher {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    private WebDriver driver;

    WebDriver driver() {
        if (driver == null) {
            boolean installed = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
            if (!installed && "true".equals(System.getenv("CI"))) {
                throw new IllegalStateException("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: "
                        + ".ci/run installs the Debian packages chromium and chromium-driver");
            }
            Assumptions.assumeTrue(installed, "Browser tests skipped: install Debian's chromium and chromium-driver "
                    + "(apt-get install chromium chromium-driver), as .ci/run does");
            ChromeOptions options = new ChromeOptions()
                    .setBinary(CHROMIUM.toFile())
                    .addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1000");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile()).build();
            driver = new ChromeDriver(service, options);
            driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(10));
        }
        return driver;
    }

    void quit() {
        if (driver != null) {
            driver.quit();
            driver = null;
        }
    }

    @Override
    public void testFailed(ExtensionContext context, Throwable cause) {
        if (driver instanceof TakesScreenshot camera) {
            try {
                Path directory = Files.createDirectories(Path.of("target", "browser-screenshots"));
                File shot = camera.getScreenshotAs(OutputType.FILE);
                Files.copy(shot.toPath(), directory.resolve(context.getDisplayName().replaceAll("[^A-Za-z0-9]+", "_") + ".png"),
                        java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }
}
