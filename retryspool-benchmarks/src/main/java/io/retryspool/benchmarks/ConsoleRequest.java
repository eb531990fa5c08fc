package io.retryspool.benchmarks;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One kind of request the console scenario times: what the dashboard's pages ask its JSON API
 * ({@value ConsoleApplication#DASHBOARD_PATH}{@code /api}), what an operator asks the {@code retryspool} endpoint, and
 * the health check. The bulk requests are dry runs, which count and change nothing.
 *
 * @param name what is asked, for the results, e.g. {@code dashboard overview}
 * @param method {@code GET} or {@code POST}
 * @param path the path and query
 * @param body the JSON body of a POST, or null
 */
record ConsoleRequest(String name, String method, String path, @Nullable String body) {

    /** Messages per page of the dashboard's lists, as its pages ask. */
    static final int PAGE = 50;

    /** The tenant the header filters ask for; one in a hundred filled rows has it. */
    static final String TENANT = "t7";

    /** Text in the last error of one in three filled DEFERRED rows. */
    static final String ERROR_TEXT = "refused";

    private static final String API = ConsoleApplication.DASHBOARD_PATH + "/api";
    private static final String DEFERRED_PAGE = API + "/messages?state=DEFERRED&limit=" + PAGE;
    private static final String BY_TENANT = "{\"action\":\"requeue\",\"filter\":{\"state\":\"DEFERRED\","
            + "\"headers\":{\"tenant\":\"" + TENANT + "\"}},\"dryRun\":true}";
    /** The endpoint takes its criteria as top-level fields (Actuator reads a write operation's body as strings). */
    private static final String ENDPOINT_BY_TENANT = "{\"action\":\"requeue\",\"state\":\"DEFERRED\","
            + "\"header\":\"tenant:" + TENANT + "\",\"dryRun\":true}";
    private static final String UNFILTERED = "{\"action\":\"requeue\",\"dryRun\":true}";
    private static final String BY_AGE = "{\"action\":\"requeue\",\"filter\":{\"state\":\"DEFERRED\","
            + "\"olderThan\":\"1d\"},\"dryRun\":true}";

    /**
     * The dashboard's overview, whose counts the scenario compares with the filled rows.
     *
     * @return the request
     */
    static ConsoleRequest dashboardOverview() {
        return get("dashboard overview", API + "/overview");
    }

    /**
     * The first page of the dashboard's DEFERRED list, whose answer gives the cursor and the id that {@link #all} needs.
     *
     * @return the request
     */
    static ConsoleRequest firstDeferredPage() {
        return get("dashboard DEFERRED page", DEFERRED_PAGE);
    }

    /**
     * Every kind of request, in the order they are timed.
     *
     * @param nextCursor the {@code nextCursor} of the first DEFERRED page
     * @param messageId the id of a DEFERRED message
     * @return the requests
     */
    static List<ConsoleRequest> all(String nextCursor, String messageId) {
        return List.of(
                dashboardOverview(),
                get("dashboard backlog", API + "/backlog"),
                firstDeferredPage(),
                get("dashboard DEFERRED next page", DEFERRED_PAGE + "&after=" + encode(nextCursor)),
                get("dashboard ARCHIVED page", API + "/messages?state=ARCHIVED&limit=" + PAGE),
                get("dashboard DEFERRED by header", DEFERRED_PAGE + "&headerName=tenant&headerValue=" + TENANT),
                get("dashboard DEFERRED by error", DEFERRED_PAGE + "&errorContains=" + ERROR_TEXT),
                get("dashboard message", API + "/messages/" + encode(messageId)),
                post("dashboard bulk dry run by header", API + "/bulk", BY_TENANT),
                post("dashboard bulk dry run by age", API + "/bulk", BY_AGE),
                get("endpoint overview", "/actuator/retryspool"),
                get("endpoint backlog", "/actuator/retryspool/backlog"),
                get("endpoint DEFERRED page", "/actuator/retryspool/DEFERRED"),
                get("endpoint ARCHIVED page", "/actuator/retryspool/ARCHIVED"),
                post("endpoint bulk dry run by header", "/actuator/retryspool", ENDPOINT_BY_TENANT),
                post("endpoint bulk dry run without filter", "/actuator/retryspool", UNFILTERED),
                get("health", "/actuator/health"));
    }

    /** Whether this is a bulk dry run, whose answer must say that nothing changed: every POST here is one. */
    boolean dryRun() {
        return "POST".equals(method);
    }

    private static ConsoleRequest get(String name, String path) {
        return new ConsoleRequest(name, "GET", path, null);
    }

    private static ConsoleRequest post(String name, String path, String body) {
        return new ConsoleRequest(name, "POST", path, body);
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
