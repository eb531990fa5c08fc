package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.EnqueueRequest;
import io.retryspool.MessageFilter;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.BacklogDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.BulkActionDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.MessagePageDescriptor;
import io.retryspool.boot.autoconfigure.endpoint.RetrySpoolEndpoint.SpoolDescriptor;
import io.retryspool.testing.TestPostgres;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.http.MediaType;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.hasItem;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * On PostgreSQL, beyond the exact-count limit, the endpoint and the dashboard answer with the planner's estimates and
 * say so: 40 messages on hold with a limit of 10, after an ANALYZE.
 */
class EstimatedCountsOnPostgresTests {

    private static final int HELD = 40;

    private TestPostgres.Schema schema;
    private RetrySpool spool;

    @BeforeEach
    void holdFortyMessagesWithALimitOfTen() throws InterruptedException {
        schema = TestPostgres.newSchema("boot_estimates", 4);
        spool = RetrySpool.builder().jdbc(schema.dataSource()).exactCountLimit(10)
                .handler((context, message, body) -> { }).build();
        // one at a time, a few milliseconds apart: the estimate samples the oldest messages, and ids made in one
        // millisecond are in random order, so that a batch's oldest eleven could be nearly all of one tenant
        for (int i = 0; i < HELD; i++) {
            spool.enqueue(EnqueueRequest.builder().headers(Map.of("tenant", i % 2 == 0 ? "a" : "b"))
                    .body(new byte[] {1}).build());
            Thread.sleep(2);
        }
        spool.moveAll(MessageFilter.builder().state(QueueState.INCOMING).build(), QueueState.HOLD);
        new JdbcTemplate(schema.dataSource()).execute("ANALYZE retryspool_messages");
    }

    @AfterEach
    void dropSchema() {
        if (spool != null) {
            spool.close();
        }
        if (schema != null) {
            schema.close();
        }
    }

    @Test
    void theEndpointMarksItsEstimates() {
        RetrySpoolEndpoint endpoint = new RetrySpoolEndpoint(spool, Show.ALWAYS, Set.of());

        SpoolDescriptor overview = endpoint.overview();
        MessagePageDescriptor page = (MessagePageDescriptor) endpoint.messages(SecurityContext.NONE, "HOLD", 5, null,
                null, null, null, null).getBody();
        BacklogDescriptor backlog = (BacklogDescriptor) endpoint.messages(SecurityContext.NONE, "backlog", null, null,
                null, null, null, null).getBody();
        BulkActionDescriptor dryRun = (BulkActionDescriptor) endpoint.bulk(SecurityContext.NONE, "release",
                "HOLD", "tenant:a", null, null, null, true).getBody();

        assertThat(overview.estimated()).containsExactly("HOLD");
        assertThat(overview.counts().get("HOLD")).isBetween(30L, 50L);
        assertThat(overview.counts().get("INCOMING")).isZero();
        assertThat(page.totalEstimated()).isTrue();
        assertThat(page.items()).hasSize(5);
        assertThat(backlog.estimated()).containsOnlyKeys("HOLD");
        assertThat(backlog.estimated().get("HOLD")).containsExactly("5m");
        assertThat(backlog.totals().get("HOLD")).isBetween(30L, 50L);
        assertThat(dryRun.estimated()).isTrue();
        assertThat(dryRun.matched()).as("half of the 11 oldest, scaled to about 40").isBetween(10L, 30L);
        assertThat(dryRun.changed()).isZero();
        assertThat(spool.count(QueueState.HOLD)).as("exact, and untouched by the dry run").isEqualTo(HELD);
    }

    @Test
    void theDashboardMarksItsEstimates() throws Exception {
        DashboardProperties properties = new DashboardProperties();
        DashboardAccess rules = new DashboardAccess(properties, false, DashboardAccess.ShowValues.NEVER, Set.of());
        MockMvc dashboard = MockMvcBuilders.standaloneSetup(new DashboardController(spool, rules, List.of(),
                Duration.ZERO, Clock.systemUTC(), null, Long.MAX_VALUE)).build();

        dashboard.perform(get("/retryspool/api/overview")).andExpect(status().isOk())
                .andExpect(jsonPath("$.estimated").value(hasItem("HOLD")))
                .andExpect(jsonPath("$.delayed.estimated").value(true))
                .andExpect(jsonPath("$.delayed.byState.HOLD").exists());
        dashboard.perform(get("/retryspool/api/messages?state=HOLD&limit=5"))
                .andExpect(jsonPath("$.totalEstimated").value(true));
        dashboard.perform(get("/retryspool/api/backlog"))
                .andExpect(jsonPath("$.estimated.HOLD[0]").value(true))
                .andExpect(jsonPath("$.estimated.INCOMING[0]").value(false));
        dashboard.perform(post("/retryspool/api/bulk").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"action\": \"release\", \"filter\": {\"state\": \"HOLD\"}, \"dryRun\": true}"))
                .andExpect(jsonPath("$.estimated").value(true)).andExpect(jsonPath("$.changed").value(0));
    }
}
