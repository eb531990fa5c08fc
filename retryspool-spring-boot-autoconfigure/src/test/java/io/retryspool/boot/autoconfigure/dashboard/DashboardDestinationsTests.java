package io.retryspool.boot.autoconfigure.dashboard;

import io.retryspool.DestinationStatus;
import io.retryspool.EnqueueRequest;
import io.retryspool.MutableClock;
import io.retryspool.RetrySpool;
import io.retryspool.boot.autoconfigure.testing.FakeDestinations;
import io.retryspool.handler.RetryableException;
import io.retryspool.storage.memory.InMemoryDataStore;
import io.retryspool.storage.memory.InMemoryMetaStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.request.MockHttpServletRequestBuilder;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.jsonPath;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * The dashboard's destinations through Spring MVC: the suspended ones in the overview (and so in its live updates) and
 * in their own list, paused or on probation by the spool's clock, and resuming one, which is a write like every
 * other: the write header, write access and, with Spring Security, the write role.
 */
class DashboardDestinationsTests {

    private static final Instant START = Instant.parse("2025-01-01T00:00:00Z");

    private final MutableClock clock = new MutableClock(START);
    private final RetrySpool real = RetrySpool.builder().metaStore(new InMemoryMetaStore())
            .dataStore(new InMemoryDataStore(clock)).clock(clock).build();
    private final FakeDestinations destinations = new FakeDestinations()
            .put(new DestinationStatus("mail.example.com", 5, 1, START.plusSeconds(300)))
            .put(new DestinationStatus("hooks.example.com", 9, 3, START.minusSeconds(30)))
            .put(new DestinationStatus("flaky.example.com", 2, 0, null));

    @AfterEach
    void closeSpool() {
        real.close();
    }

    private MockMvc dashboard(DashboardProperties.Access access, boolean security) {
        DashboardProperties properties = new DashboardProperties();
        properties.setAccess(access);
        DashboardAccess rules = new DashboardAccess(properties, security, DashboardAccess.ShowValues.NEVER, Set.of());
        return MockMvcBuilders.standaloneSetup(new DashboardController(destinations.around(real), rules, List.of(),
                Duration.ofHours(1), clock, null, Long.MAX_VALUE)).build();
    }

    private static MockHttpServletRequestBuilder resume(String destination) {
        return post("/retryspool/api/destinations/actions").contentType(MediaType.APPLICATION_JSON)
                .content("{\"destination\": \"" + destination + "\", \"action\": \"resume\"}");
    }

    @Test
    void theOverviewAndTheDestinationsListShowTheSuspendedOnesByNamePausedOrOnProbation() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.READ_ONLY, false);

        mvc.perform(get("/retryspool/api/overview")).andExpect(status().isOk())
                .andExpect(jsonPath("$.suspendedDestinations.length()").value(2))
                .andExpect(jsonPath("$.suspendedDestinations[0].name").value("hooks.example.com"))
                .andExpect(jsonPath("$.suspendedDestinations[0].state").value("PROBING"))
                .andExpect(jsonPath("$.suspendedDestinations[1].name").value("mail.example.com"))
                .andExpect(jsonPath("$.suspendedDestinations[1].state").value("PAUSED"));
        mvc.perform(get("/retryspool/api/destinations")).andExpect(status().isOk())
                .andExpect(jsonPath("$.length()").value(2))
                .andExpect(jsonPath("$[1].name").value("mail.example.com"))
                .andExpect(jsonPath("$[1].failures").value(5))
                .andExpect(jsonPath("$[1].suspensions").value(1))
                .andExpect(jsonPath("$[1].suspendedUntil").value(START.plusSeconds(300).toString()));

        clock.advance(Duration.ofSeconds(300));
        mvc.perform(get("/retryspool/api/destinations"))
                .andExpect(jsonPath("$[1].state").value("PROBING"));
    }

    @Test
    void theOperatorResumesADestinationWhichThenLeavesTheList() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.UNRESTRICTED, false);

        mvc.perform(resume("mail.example.com").header(DashboardController.WRITE_HEADER, "1"))
                .andExpect(status().isOk())
                .andExpect(jsonPath("$.name").value("mail.example.com"))
                .andExpect(jsonPath("$.state").value("HEALTHY"))
                .andExpect(jsonPath("$.failures").value(0));

        assertThat(destinations.status("mail.example.com").suspended()).isFalse();
        mvc.perform(get("/retryspool/api/destinations")).andExpect(jsonPath("$.length()").value(1))
                .andExpect(jsonPath("$[0].name").value("hooks.example.com"));
    }

    @Test
    void aReadOnlyDashboardAndAWriteWithoutTheDashboardsHeaderResumeNothing() throws Exception {
        dashboard(DashboardProperties.Access.READ_ONLY, false)
                .perform(resume("mail.example.com").header(DashboardController.WRITE_HEADER, "1"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.message").value(containsString("read-only")));
        dashboard(DashboardProperties.Access.UNRESTRICTED, false).perform(resume("mail.example.com"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.message").value(containsString(DashboardController.WRITE_HEADER)));

        assertThat(destinations.status("mail.example.com").suspended()).isTrue();
    }

    @Test
    void withSpringSecurityResumingNeedsTheWriteRole() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.UNRESTRICTED, true);

        mvc.perform(resume("mail.example.com").header(DashboardController.WRITE_HEADER, "1").principal(() -> "viewer"))
                .andExpect(status().isForbidden())
                .andExpect(jsonPath("$.message").value(containsString("RETRYSPOOL_ADMIN")));
        assertThat(destinations.status("mail.example.com").suspended()).isTrue();

        mvc.perform(resume("mail.example.com").header(DashboardController.WRITE_HEADER, "1").principal(() -> "admin")
                .with(request -> {
                    request.addUserRole("RETRYSPOOL_ADMIN");
                    return request;
                })).andExpect(status().isOk());
        assertThat(destinations.status("mail.example.com").suspended()).isFalse();
    }

    @Test
    void onARealSpoolAFailedDestinationShowsAndTheOperatorResumesIt() throws Exception {
        try (RetrySpool spool = RetrySpool.builder().metaStore(new InMemoryMetaStore())
                .dataStore(new InMemoryDataStore(clock)).clock(clock).destinationFailureThreshold(2).build()) {
            DashboardProperties properties = new DashboardProperties();
            properties.setAccess(DashboardProperties.Access.UNRESTRICTED);
            MockMvc mvc = MockMvcBuilders.standaloneSetup(new DashboardController(spool, new DashboardAccess(properties,
                    false, DashboardAccess.ShowValues.NEVER, Set.of()), List.of(), Duration.ofHours(1), clock, null,
                    Long.MAX_VALUE)).build();
            for (int i = 0; i < 2; i++) {
                String id = spool.enqueue(EnqueueRequest.builder().destination("hooks.example.com").body(new byte[0])
                        .build());
                spool.process(id, (context, message, body) -> {
                    throw new RetryableException("503");
                });
            }

            mvc.perform(get("/retryspool/api/overview"))
                    .andExpect(jsonPath("$.suspendedDestinations[0].name").value("hooks.example.com"))
                    .andExpect(jsonPath("$.suspendedDestinations[0].state").value("PAUSED"))
                    .andExpect(jsonPath("$.suspendedDestinations[0].failures").value(2));
            mvc.perform(resume("hooks.example.com").header(DashboardController.WRITE_HEADER, "1"))
                    .andExpect(status().isOk()).andExpect(jsonPath("$.state").value("HEALTHY"));
            mvc.perform(get("/retryspool/api/destinations")).andExpect(jsonPath("$.length()").value(0));
            assertThat(spool.suspendedDestinations()).isEmpty();
        }
    }

    @Test
    void resumingADestinationThatIsNotSuspendedAnswers409AndAMalformedRequest400() throws Exception {
        MockMvc mvc = dashboard(DashboardProperties.Access.UNRESTRICTED, false);

        mvc.perform(resume("flaky.example.com").header(DashboardController.WRITE_HEADER, "1"))
                .andExpect(status().isConflict())
                .andExpect(jsonPath("$.message").value("Destination 'flaky.example.com' is not suspended; there is "
                        + "nothing to resume"));
        mvc.perform(post("/retryspool/api/destinations/actions").header(DashboardController.WRITE_HEADER, "1")
                        .contentType(MediaType.APPLICATION_JSON)
                        .content("{\"destination\": \"mail.example.com\", \"action\": \"suspend\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message").value(containsString("expected resume")));
        mvc.perform(post("/retryspool/api/destinations/actions").header(DashboardController.WRITE_HEADER, "1")
                        .contentType(MediaType.APPLICATION_JSON).content("{\"action\": \"resume\"}"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message").value("destination: must be given"));
        mvc.perform(resume("d".repeat(256)).header(DashboardController.WRITE_HEADER, "1"))
                .andExpect(status().isBadRequest())
                .andExpect(jsonPath("$.message").value(containsString("at most 255 characters")));

        assertThat(destinations.status("mail.example.com").suspended()).isTrue();
    }
}
