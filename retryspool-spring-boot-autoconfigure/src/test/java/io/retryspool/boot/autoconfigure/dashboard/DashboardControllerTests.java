package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.EnqueueRequest;
import io.retryspool.QueueState;
import io.retryspool.RetrySpool;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard's pages and API through Spring MVC: the strict Content-Security-Policy, read-only refusals, the
 * write header, the write role, masking, keyset pages and the bulk dry run.
 */
class DashboardControllerTests {

    private final RetrySpool spool = RetrySpool.builder().metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore()).handler((context, message, body) -> { }).build();

    @AfterEach
    void closeSpool() {
        spool.close();
    }

    private MockMvc dashboard(DashboardProperties.Access access, boolean security, DashboardAccess.ShowValues show) {
        DashboardProperties properties = new DashboardProperties();
        properties.setAccess(access);
        DashboardAccess rules = new DashboardAccess(properties, security, show, Set.of());
        return MockMvcBuilders.standaloneSetup(new DashboardPages(),
                new DashboardController(spool, rules, List.of("fast"), java.time.Duration.ofHours(1), Clock.systemUTC(),
                        null, Long.MAX_VALUE)).build();
    }

    private String held(String recipient) {
        String id = spool.enqueue(EnqueueRequest.builder().headers(Map.of("recipient", recipient)).body(new byte[]{1})
                .notBefore(Instant.now().plusSeconds(3600)).build());
        spool.moveToState(id, QueueState.INCOMING, QueueState.HOLD);
        return id;
    }

    private static MockHttpServletRequestBuilder release(String id) {
        return post("/retryspool/api/messages/{id}/actions", id).contentType(MediaType.APPLICATION_JSON)
                .content("{\"action\": \"release\"}");
    }

    @Test
    void thePageAndItsAssetsComeWithAStrictPolicyAndNoInlineScript() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.NEVER);

        String page = mvc.perform(get("/retryspool/")).andExpect(status().isOk())
                .andExpect(header().string("Content-Security-Policy", DashboardPages.CONTENT_SECURITY_POLICY))
                .andReturn().getResponse().getContentAsString(StandardCharsets.UTF_8);
        assertThat(page).contains("<script src=\"assets/app.js\" defer></script>").doesNotContain("style=")
                .doesNotContain("onclick").doesNotContainPattern("<script>[^<]");
        assertThat(DashboardPages.CONTENT_SECURITY_POLICY).contains("script-src 'self'").doesNotContain("unsafe-inline");
        mvc.perform(get("/retryspool")).andExpect(status().isFound())
                .andExpect(header().string("Location", "/retryspool/"));
        mvc.perform(get("/retryspool/assets/app.js")).andExpect(status().isOk());
        mvc.perform(get("/retryspool/assets/secrets.txt")).andExpect(status().isNotFound());
    }

    @Test
    void aReadOnlyDashboardRefusesEveryWrite() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.NEVER);
        String id = held("ro@example.com");

        mvc.perform(release(id).header(DashboardController.WRITE_HEADER, "1")).andExpect(status().isForbidden())
                .andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("read-only")));
        mvc.perform(get("/retryspool/api/session")).andExpect(jsonPath("$.canWrite").value(false));
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.HOLD);
    }

    @Test
    void aWriteWithoutTheDashboardsHeaderIsRefusedAsForged() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.UNRESTRICTED, false, DashboardAccess.ShowValues.NEVER);
        String id = held("forged@example.com");

        mvc.perform(release(id)).andExpect(status().isForbidden());
        assertThat(spool.getMessage(id).metadata().state()).isEqualTo(QueueState.HOLD);

        mvc.perform(release(id).header(DashboardController.WRITE_HEADER, "1")).andExpect(status().isOk())
                .andExpect(jsonPath("$.state").value("INCOMING"));
    }

    @Test
    void withSpringSecurityAWriteNeedsTheWriteRole() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.UNRESTRICTED, true, DashboardAccess.ShowValues.NEVER);
        String id = held("role@example.com");

        mvc.perform(release(id).header(DashboardController.WRITE_HEADER, "1").principal(() -> "viewer"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("RETRYSPOOL_ADMIN")));
        mvc.perform(release(id).header(DashboardController.WRITE_HEADER, "1").principal(() -> "admin")
                .with(request -> {
                    request.addUserRole("RETRYSPOOL_ADMIN");
                    return request;
                })).andExpect(status().isOk());
    }

    @Test
    void headerValuesAreMaskedUnlessShowValuesAllowsThem() throws Exception {
        String id = held("masked@example.com");

        dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.NEVER)
                .perform(get("/retryspool/api/messages/{id}", id)).andExpect(jsonPath("$.headers.recipient").value("******"));
        dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.WHEN_AUTHORIZED)
                .perform(get("/retryspool/api/messages/{id}", id)).andExpect(jsonPath("$.headers.recipient").value("******"));
        dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.WHEN_AUTHORIZED)
                .perform(get("/retryspool/api/messages/{id}", id).principal(() -> "ops"))
                .andExpect(jsonPath("$.headers.recipient").value("masked@example.com"));
    }

    @Test
    void aListIsFilteredByHeaderAndTheTotalIsUnknownForSuchFilters() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.ALWAYS);
        held("a@example.com");
        String wanted = held("b@example.com");

        mvc.perform(get("/retryspool/api/messages").param("state", "HOLD").param("headerName", "recipient")
                        .param("headerValue", "b@example.com"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].id").value(wanted))
                .andExpect(jsonPath("$.total").value(-1));
        mvc.perform(get("/retryspool/api/messages").param("state", "HOLD").param("olderThan", "soon"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.containsString("olderThan")));
    }

    @Test
    void aListAndABulkDryRunAreFilteredByDestination() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.NEVER);
        held("a@example.com");
        String wanted = spool.enqueue(EnqueueRequest.builder().destination("hooks.example.com").body(new byte[]{1})
                .build());
        spool.moveToState(wanted, QueueState.INCOMING, QueueState.HOLD);

        mvc.perform(get("/retryspool/api/messages").param("state", "HOLD").param("destination", "hooks.example.com"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.items.length()").value(1))
                .andExpect(jsonPath("$.items[0].id").value(wanted))
                .andExpect(jsonPath("$.total").value(-1));
        mvc.perform(post("/retryspool/api/bulk").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"action\": \"release\", \"filter\": {\"state\": \"HOLD\","
                                + " \"destination\": \"hooks.example.com\"}, \"dryRun\": true}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.matched").value(1));
        mvc.perform(post("/retryspool/api/bulk").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"action\": \"release\", \"filter\": {\"destination\": 7}, \"dryRun\": true}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message").value(org.hamcrest.Matchers.startsWith("filter.destination:")));
    }

    @Test
    void statesArePagedByCursorAndTheBulkDryRunCountsWithoutChanging() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.READ_ONLY, false, DashboardAccess.ShowValues.NEVER);
        for (int i = 0; i < 5; i++) {
            held("page" + i + "@example.com");
        }

        String cursor = com.jayway.jsonpath.JsonPath.read(mvc.perform(get("/retryspool/api/messages?state=hold&limit=3"))
                .andExpect(jsonPath("$.items.length()").value(3)).andExpect(jsonPath("$.hasMore").value(true))
                .andReturn().getResponse().getContentAsString(), "$.nextCursor");
        mvc.perform(get("/retryspool/api/messages").param("state", "HOLD").param("limit", "3").param("after", cursor))
                .andExpect(jsonPath("$.items.length()").value(2)).andExpect(jsonPath("$.hasMore").value(false));
        mvc.perform(get("/retryspool/api/messages?state=HOLD&limit=0")).andExpect(status().isBadRequest());

        mvc.perform(post("/retryspool/api/bulk").contentType(MediaType.APPLICATION_JSON)
                        .content("{\"action\": \"release\", \"filter\": {\"state\": \"HOLD\"}, \"dryRun\": true}"))
                .andExpect(status().isOk()).andExpect(jsonPath("$.matched").value(5)).andExpect(jsonPath("$.changed").value(0));
        mvc.perform(post("/retryspool/api/bulk").header(DashboardController.WRITE_HEADER, "1")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"action\": \"release\", \"filter\": {\"state\": \"HOLD\"}, \"dryRun\": false}"))
                .andExpect(status().isForbidden());
        assertThat(spool.count(QueueState.HOLD)).isEqualTo(5);
    }
}
