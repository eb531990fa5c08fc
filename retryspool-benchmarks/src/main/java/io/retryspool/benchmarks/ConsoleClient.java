package io.retryspool.benchmarks;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Sends the console scenario's requests, one at a time over one HTTP/1.1 connection, and times each from sending to
 * the last byte of the answer. Every answer must be 2xx and JSON, and a dry run's must say that nothing changed
 * ({@code "changed": 0}); anything else fails the scenario, since a failed request is not a fast one.
 */
final class ConsoleClient {

    /** The longest a request may take before the scenario fails. */
    static final Duration REQUEST_TIMEOUT = Duration.ofMinutes(5);

    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final int MAX_LISTED = 12;
    private static final int MAX_TEXT = 48;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final URI baseUri;

    ConsoleClient(URI baseUri) {
        this.baseUri = baseUri;
    }

    /**
     * An answer and how long it took.
     *
     * @param json the answer's body
     * @param nanos from sending the request to reading the answer's last byte
     */
    record Answer(JsonNode json, long nanos) {
    }

    /**
     * Sends a request and checks its answer.
     *
     * @param request the request
     * @return the answer
     * @throws IOException if the request fails, times out or answers other than 2xx JSON (or a dry run that changed
     *                     something)
     * @throws InterruptedException if interrupted while waiting
     */
    Answer send(ConsoleRequest request) throws IOException, InterruptedException {
        HttpRequest.Builder builder = HttpRequest.newBuilder(baseUri.resolve(request.path()))
                .timeout(REQUEST_TIMEOUT)
                .header("Accept", "application/json");
        if (request.body() == null) {
            builder.GET();
        } else {
            // the dashboard's script sends this header with every write; a dry run does not need it today
            builder.header("Content-Type", "application/json").header("X-RetrySpool-Dashboard", "1")
                    .POST(HttpRequest.BodyPublishers.ofString(request.body()));
        }
        long start = System.nanoTime();
        HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
        long nanos = System.nanoTime() - start;
        if (response.statusCode() / 100 != 2) {
            throw new IOException(request.name() + " (" + request.method() + " " + request.path() + ") answered "
                    + response.statusCode() + ": " + abbreviate(response.body()));
        }
        JsonNode json;
        try {
            json = JSON.readTree(response.body());
        } catch (JacksonException e) {
            throw new IOException(request.name() + " answered something other than JSON: "
                    + abbreviate(response.body()), e);
        }
        if (request.dryRun() && !(json.path("changed").isIntegralNumber() && json.path("changed").longValue() == 0)) {
            throw new IOException(request.name() + " is a dry run but answered " + abbreviate(response.body()));
        }
        return new Answer(json, nanos);
    }

    /**
     * Summarises an answer for the log: its top-level fields, objects one level deep, short lists of values in full
     * and other lists by their size, long texts (such as cursors) cut short.
     *
     * @param json the answer
     * @return for example {@code total=1000000 hasMore=true items=[50 items]}
     */
    static String summary(JsonNode json) {
        List<String> parts = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : json.properties()) {
            parts.add(field.getKey() + "=" + value(field.getValue(), true));
        }
        return String.join(" ", parts);
    }

    private static String value(JsonNode node, boolean descend) {
        if (node.isObject()) {
            if (!descend) {
                return "{" + node.size() + " fields}";
            }
            List<String> fields = new ArrayList<>();
            node.properties().forEach(field -> fields.add(field.getKey() + "=" + value(field.getValue(), false)));
            return "{" + String.join(", ", fields) + "}";
        }
        if (node.isArray()) {
            boolean values = node.size() <= MAX_LISTED && node.valueStream().allMatch(JsonNode::isValueNode);
            if (!values) {
                return "[" + node.size() + " items]";
            }
            List<String> items = new ArrayList<>();
            node.forEach(item -> items.add(item.asString()));
            return "[" + String.join(", ", items) + "]";
        }
        String text = node.isNull() ? "null" : node.asString();
        return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT) + "...";
    }

    private static String abbreviate(String body) {
        String oneLine = body.replaceAll("\\s+", " ").trim();
        return oneLine.length() <= 300 ? oneLine : oneLine.substring(0, 300) + "...";
    }
}
