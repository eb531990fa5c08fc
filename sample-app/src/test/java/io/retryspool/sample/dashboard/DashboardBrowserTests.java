package io.retryspool.sample.dashboard;

import io.retryspool.EnqueueRequest;
import io.retryspool.Message;
import io.retryspool.MessageBody;
import io.retryspool.MessageFilter;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.handler.MessageContext;
import io.retryspool.handler.MessageHandler;
import io.retryspool.handler.RetryableException;
import io.retryspool.sample.Notification;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.FluentWait;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.core.Ordered;
import org.springframework.test.annotation.DirtiesContext;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample app's dashboard in a real headless Chromium: live counts, paging through a state, the operator's
 * actions after signing in, a read-only view that offers no action and refuses a forged one, and a destination that
 * failed too often, suspended, resumed by the operator. Two failed attempts in a row suspend a destination here.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "retryspool.sqlite.path=./target/dashboard-browser-tests.db",
        "retryspool.worker.poll-interval=100ms",
        "retryspool.destinations.failure-threshold=2",
        "retryspool.destinations.suspend=10m",
        "sample.delivery.failure-rate=0",
        "sample.delivery.permanent-failure-rate=0"})
@DirtiesContext
class DashboardBrowserTests {

    private static final Duration WAIT = Duration.ofSeconds(15);

    @RegisterExtension
    final Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    RetrySpool spool;

    @AfterEach
    void closeTheBrowser() {
        browser.quit();
    }

    @Test
    void theOverviewShowsCountsThatChangeLiveAfterAnEnqueue() {
        WebDriver driver = open("/retryspool/");
        long before = wait(driver).until(d -> Long.parseLong(d.findElement(By.cssSelector("[data-count=HOLD]")).getText()));

        String id = spool.enqueue(EnqueueRequest.builder().headers(Map.of("recipient", "live@example.com"))
                .body("x".getBytes(StandardCharsets.UTF_8)).notBefore(Instant.now().plusSeconds(3600)).build());
        spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);

        // no reload: the server-sent events bring the new count
        wait(driver).until(d -> Long.parseLong(d.findElement(By.cssSelector("[data-count=HOLD]")).getText()) == before + 1);
        assertThat(driver.findElement(By.id("live")).getAttribute("class")).contains("on");
    }

    @Test
    void aStateIsListedPageByPageWithACursor() {
        for (int i = 0; i < 55; i++) {
            String id = spool.enqueue(EnqueueRequest.builder().headers(Map.of("recipient", "page" + i + "@example.com"))
                    .body(new byte[]{1}).notBefore(Instant.now().plusSeconds(3600)).build());
            spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);
        }
        WebDriver driver = open("/retryspool/#/state/HOLD");
        wait(driver).until(d -> d.findElements(By.cssSelector("#messages tbody tr")).size() == 50);
        String firstPageFirstId = driver.findElement(By.cssSelector("#messages tbody tr")).getAttribute("data-id");

        driver.findElement(By.id("next-page")).click();
        wait(driver).until(d -> !d.findElements(By.cssSelector("#messages tbody tr")).isEmpty()
                && !d.findElement(By.cssSelector("#messages tbody tr")).getAttribute("data-id").equals(firstPageFirstId));
        assertThat(driver.getCurrentUrl()).contains("after=");
        assertThat(driver.findElements(By.cssSelector("#messages tbody tr")).size()).isBetween(5, 50);
    }

    @Test
    void theOperatorRequeuesAMessageAfterSigningIn() {
        String id = spool.enqueue(EnqueueRequest.builder().headers(Map.of("recipient", "requeue@example.com"))
                .payload(new Notification("requeue@example.com", "hi", "hello"))
                .notBefore(Instant.now().plusSeconds(3600)).build());
        spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);
        WebDriver driver = signInAsOperator();

        driver.get(url("/retryspool/#/message/" + id));
        WebElement requeue = wait(driver).until(ExpectedConditions.elementToBeClickable(By.cssSelector("[data-action=requeue]")));
        assertThat(driver.findElement(By.cssSelector("#headers")).getText()).contains("requeue@example.com");
        requeue.click();

        wait(driver).until(d -> spool.getMessage(id).metadata().state() != QueueState.HOLD);
        assertThat(spool.getMessage(id).metadata().state()).isIn(QueueState.INCOMING, QueueState.ACTIVE, QueueState.ARCHIVED);
    }

    @Test
    void aReadOnlyViewerSeesNoActionsMaskedValuesAndAForgedWriteIsRefused() {
        String id = spool.enqueue(EnqueueRequest.builder().headers(Map.of("recipient", "secret@example.com"))
                .body(new byte[]{1}).notBefore(Instant.now().plusSeconds(3600)).build());
        spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);
        WebDriver driver = open("/retryspool/#/message/" + id);

        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("read-only")));
        assertThat(driver.findElements(By.cssSelector("[data-action]"))).isEmpty();
        assertThat(driver.findElement(By.id("headers")).getText()).contains("******").doesNotContain("secret@example.com");

        // a request the page's script would never send: no CSRF token, no session with the role
        Object status = ((JavascriptExecutor) driver).executeAsyncScript("""
                const done = arguments[arguments.length - 1];
                fetch('api/messages/' + arguments[0] + '/actions', {method: 'POST',
                    headers: {'Content-Type': 'application/json', 'X-RetrySpool-Dashboard': '1'},
                    body: JSON.stringify({action: 'release'})}).then(r => done(r.status), e => done(String(e)));
                """, id);
        assertThat(status).isIn(401L, 403L);
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.HOLD);
    }

    @Test
    void theOperatorFiltersAListAndBulkReleasesTheFilteredSetAfterTheDryRunCount() {
        String tenant = "tenant-" + System.nanoTime();
        for (int i = 0; i < 7; i++) {
            hold(Map.of("recipient", "bulk" + i + "@example.com", "tenant", tenant));
        }
        String other = hold(Map.of("recipient", "other@example.com", "tenant", "someone-else"));
        WebDriver driver = signInAsOperator();

        driver.get(url("/retryspool/#/state/HOLD"));
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("filter-header-name"))).sendKeys("tenant");
        driver.findElement(By.id("filter-header-value")).sendKeys(tenant);
        driver.findElement(By.id("filter-apply")).click();
        // the list shows the filtered set only
        wait(driver).until(d -> d.findElements(By.cssSelector("#messages tbody tr")).size() == 7);
        assertThat(driver.findElement(By.id("messages")).getText()).doesNotContain(other);
        assertThat(driver.getCurrentUrl()).contains("headerName=tenant");

        new Select(wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("bulk-action")))).selectByValue("release");
        driver.findElement(By.id("bulk-dry-run")).click();
        wait(driver).until(ExpectedConditions.textToBe(By.id("bulk-count"), "7 messages match"));
        assertThat(spool.count(QueueState.HOLD)).as("a dry run changes nothing").isGreaterThanOrEqualTo(8);

        driver.findElement(By.id("bulk-apply")).click();
        wait(driver).until(ExpectedConditions.alertIsPresent()).accept();

        wait(driver).until(d -> spool.count(MessageFilter.builder().state(QueueState.HOLD).headerEquals("tenant", tenant).build()) == 0);
        assertThat(spool.getMessage(other).metadata().state()).as("outside the filter").isEqualTo(QueueState.HOLD);
    }

    @Test
    void theOperatorFiltersByDestinationSeesItOnTheMessageAndReleasesOnlyThatDestination() {
        String destination = "hooks-" + System.nanoTime() + ".example.com";
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(hold(Map.of("recipient", "dest" + i + "@example.com"), destination));
        }
        String other = hold(Map.of("recipient", "elsewhere@example.com"), "other-" + destination);
        WebDriver driver = signInAsOperator();

        driver.get(url("/retryspool/#/state/HOLD"));
        wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("filter-destination"))).sendKeys(destination);
        driver.findElement(By.id("filter-apply")).click();
        wait(driver).until(d -> d.findElements(By.cssSelector("#messages tbody tr")).size() == 4);
        assertThat(driver.findElement(By.id("messages")).getText()).contains(ids.get(0)).doesNotContain(other);
        assertThat(driver.findElements(By.cssSelector("#messages tbody tr td:nth-child(2)")))
                .as("the destination column").allSatisfy(cell -> assertThat(cell.getText()).isEqualTo(destination));
        assertThat(driver.getCurrentUrl()).contains("destination=" + destination);

        new Select(wait(driver).until(ExpectedConditions.presenceOfElementLocated(By.id("bulk-action")))).selectByValue("release");
        driver.findElement(By.id("bulk-dry-run")).click();
        wait(driver).until(ExpectedConditions.textToBe(By.id("bulk-count"), "4 messages match"));
        driver.findElement(By.id("bulk-apply")).click();
        wait(driver).until(ExpectedConditions.alertIsPresent()).accept();
        wait(driver).until(d -> ids.stream().noneMatch(id -> spool.getMessage(id).metadata().state() == QueueState.HOLD));
        assertThat(spool.getMessage(other).metadata().state()).as("another destination").isEqualTo(QueueState.HOLD);

        driver.get(url("/retryspool/#/message/" + other));
        wait(driver).until(ExpectedConditions.textToBe(By.cssSelector("[data-fact='destination']"), "other-" + destination));
        assertThat(driver.findElement(By.cssSelector("[data-fact='state']")).getText()).isEqualTo("HOLD");
    }

    @Test
    void theOverviewShowsTheBacklogShape() {
        hold(Map.of("recipient", "shape@example.com"));
        WebDriver driver = open("/retryspool/");

        // live updates re-render the overview: read each element afresh until it shows what is expected
        wait(driver).ignoring(StaleElementReferenceException.class).until(d -> !d.findElement(
                By.cssSelector("[data-backlog='HOLD:5m']")).getText().isEmpty()
                && Long.parseLong(d.findElement(By.cssSelector("[data-backlog='HOLD:5m']")).getText()) >= 1);
        assertThat(driver.findElements(By.cssSelector("#backlog-table tbody tr"))).hasSize(5);
        wait(driver).ignoring(StaleElementReferenceException.class).until(d -> Long.parseLong(
                d.findElement(By.id("held")).getText().replace(",", "")) >= 1);
        assertThat(driver.findElement(By.id("attention")).getText()).contains("On hold")
                .contains("Undelivered after").contains("Suspended destinations");
    }

    @Test
    void aDestinationThatKeepsFailingIsSuspendedAndTheOperatorResumesItFromTheConsole() {
        String destination = "down-" + System.nanoTime() + ".example.com";
        OutageHandler.down.set(true);
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ids.add(spool.enqueue(EnqueueRequest.builder().header(OutageHandler.HEADER, "yes")
                    .header("recipient", "outage" + i + "@" + destination).destination(destination)
                    .body(new byte[]{1}).build()));
        }
        await().atMost(WAIT).until(() -> spool.suspendedDestinations().stream()
                .anyMatch(status -> status.name().equals(destination)));

        // a viewer sees it, paused, without a way to resume it
        WebDriver viewer = open("/retryspool/#/destinations");
        By row = By.cssSelector("tr[data-destination='" + destination + "']");
        wait(viewer).until(d -> d.findElement(row).getText().contains("paused until"));
        assertThat(viewer.findElement(row).getAttribute("data-state")).isEqualTo("PAUSED");
        assertThat(viewer.findElements(By.cssSelector("[data-resume]"))).isEmpty();
        assertThat(Long.parseLong(viewer.findElement(By.id("nav-suspended")).getText())).isGreaterThanOrEqualTo(1);
        browser.quit();

        // the endpoint works again; the operator resumes the destination without waiting out the pause
        OutageHandler.down.set(false);
        WebDriver driver = signInAsOperator();
        driver.get(url("/retryspool/#/destinations"));
        wait(driver).until(ExpectedConditions.elementToBeClickable(
                By.cssSelector("[data-resume='" + destination + "']"))).click();
        wait(driver).until(ExpectedConditions.alertIsPresent()).accept();

        wait(driver).until(d -> d.findElements(row).isEmpty());
        assertThat(spool.suspendedDestinations()).noneMatch(status -> status.name().equals(destination));
        // its messages, due again 5s after their failed attempt (retryspool.retry.intervals), are delivered
        await().atMost(Duration.ofSeconds(30)).until(() -> ids.stream()
                .allMatch(id -> spool.getMessage(id).metadata().state() == QueueState.ARCHIVED));
    }

    /** Adds the {@link OutageHandler} to the sample app. */
    @TestConfiguration(proxyBeanMethods = false)
    static class Outage {

        @Bean
        OutageHandler outageHandler() {
            return new OutageHandler();
        }
    }

    /**
     * Delivers the messages carrying {@link #HEADER} to an endpoint that is down while {@link #down} is set (each
     * attempt a retryable failure); ahead of the sample's own handler, which takes every other message.
     */
    static final class OutageHandler implements MessageHandler, Ordered {

        static final String HEADER = "x-outage-test";
        static final AtomicBoolean down = new AtomicBoolean();

        @Override
        public boolean canHandle(Map<String, String> headers) {
            return headers.containsKey(HEADER);
        }

        @Override
        public void handle(MessageContext context, Message message, MessageBody body) {
            if (down.get()) {
                throw new RetryableException("endpoint of " + message.metadata().destination() + " is down (test)");
            }
        }

        @Override
        public int getOrder() {
            return Ordered.HIGHEST_PRECEDENCE;
        }
    }

    private String hold(Map<String, String> headers) {
        return hold(headers, null);
    }

    private String hold(Map<String, String> headers, String destination) {
        String id = spool.enqueue(EnqueueRequest.builder().headers(headers).destination(destination).body(new byte[]{1})
                .notBefore(Instant.now().plusSeconds(3600)).build());
        spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);
        return id;
    }

    private WebDriver signInAsOperator() {
        WebDriver driver = open("/login");
        driver.findElement(By.name("username")).sendKeys("operator");
        driver.findElement(By.name("password")).sendKeys("operator");
        driver.findElement(By.cssSelector("button[type=submit]")).click();
        wait(driver).until(d -> d.findElement(By.id("who")).getText().startsWith("operator"));
        return driver;
    }

    private WebDriver open(String path) {
        WebDriver driver = browser.driver();
        driver.get(url(path));
        return driver;
    }

    private String url(String path) {
        return "http://localhost:" + port + path;
    }

    /** Waits, looking again when live updates re-rendered an element in between. */
    private static FluentWait<WebDriver> wait(WebDriver driver) {
        return new WebDriverWait(driver, WAIT).ignoring(StaleElementReferenceException.class);
    }
}
