package io.retryspool.sample.dashboard;

import io.retryspool.EnqueueRequest;
import io.retryspool.RetrySpool;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.support.ui.WebDriverWait;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app on two shards ({@code retryspool.shards.*}, two schemas of the test PostgreSQL), in a real headless
 * Chromium: the overview shows each shard with its affinity, status and counts.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
        "retryspool.worker.poll-interval=100ms",
        "sample.delivery.failure-rate=0",
        "sample.delivery.permanent-failure-rate=0"})
@DirtiesContext
class ShardsBrowserTests {

    private static TestPostgres.Schema east;
    private static TestPostgres.Schema west;

    @RegisterExtension
    final Browser browser = new Browser();

    @LocalServerPort
    int port;

    @Autowired
    RetrySpool spool;

    @BeforeAll
    static void createSchemas() {
        east = TestPostgres.newSchema("sample_shard_east", 1);
        west = TestPostgres.newSchema("sample_shard_west", 1);
    }

    @DynamicPropertySource
    static void shards(DynamicPropertyRegistry registry) {
        registry.add("retryspool.shards.east.url", () -> east.jdbcUrl());
        registry.add("retryspool.shards.west.url", () -> west.jdbcUrl());
        registry.add("retryspool.shards.west.affinity", () -> "0");
    }

    @AfterAll
    static void dropSchemas() {
        if (east != null) {
            east.close();
        }
        if (west != null) {
            west.close();
        }
    }

    @AfterEach
    void closeTheBrowser() {
        browser.quit();
    }

    @Test
    void theOverviewShowsEachShardWithItsAffinityStatusAndCounts() {
        for (int i = 0; i < 3; i++) {
            String id = spool.enqueue(EnqueueRequest.builder().headers(Map.of("recipient", "shard" + i + "@example.com"))
                    .body(new byte[]{1}).notBefore(Instant.now().plusSeconds(3600)).build());
            assertThat(id).endsWith(".east");
        }

        WebDriver driver = browser.driver();
        driver.get("http://localhost:" + port + "/retryspool/");
        WebDriverWait wait = new WebDriverWait(driver, Duration.ofSeconds(15));
        wait.ignoring(StaleElementReferenceException.class)
                .until(d -> d.findElements(By.cssSelector("#shard-table tbody tr")).size() == 2);

        String eastRow = "#shard-table tr[data-shard=east] ";
        String westRow = "#shard-table tr[data-shard=west] ";
        assertThat(driver.findElement(By.cssSelector(eastRow + "[data-status]")).getText()).isEqualTo("reachable");
        assertThat(driver.findElement(By.cssSelector(eastRow + "[data-count=INCOMING]")).getText()).isEqualTo("3");
        assertThat(driver.findElement(By.cssSelector(westRow + "td:nth-child(2)")).getText()).isEqualTo("0 (draining)");
        assertThat(driver.findElement(By.cssSelector(westRow + "[data-count=INCOMING]")).getText()).isEqualTo("0");
    }
}
