package org.impressionsclicks;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Reads a running job's metrics through Flink's REST API, as the web UI does: the launcher's
 * progress and status lines, and the tests.
 *
 * <p>Plain {@link HttpURLConnection}, not {@code java.net.http.HttpClient}: on Java 17 a client keeps a
 * selector thread waiting in native code until it is collected, and a JVM that exits with a thread in
 * native code waits 300 ms for it; the launcher's progress lines made every run end that much later.
 */
public final class RestJobMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int READ_TIMEOUT_MS = 5_000;
    private final String base;

    public RestJobMetrics(String restUrl) {
        this.base = restUrl.endsWith("/") ? restUrl.substring(0, restUrl.length() - 1) : restUrl;
    }

    private JsonNode get(String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) new URL(base + path).openConnection();
        connection.setConnectTimeout(CONNECT_TIMEOUT_MS);
        connection.setReadTimeout(READ_TIMEOUT_MS);
        int status = connection.getResponseCode();
        try (InputStream body = status < 400 ? connection.getInputStream() : connection.getErrorStream()) {
            JsonNode json = body == null ? null : JSON.readTree(body);
            return json == null ? JSON.missingNode() : json;
        }
    }

    /** The sum over all subtasks of the operator metric {@code metric} in the vertex whose name contains {@code vertex}. */
    public OptionalLong sum(JobID job, String vertex, String metric) throws IOException {
        return aggregate(job, vertex, metric, "sum");
    }

    /** The smallest value over all subtasks, e.g. of an operator's {@code currentInputWatermark}. */
    public OptionalLong min(JobID job, String vertex, String metric) throws IOException {
        return aggregate(job, vertex, metric, "min");
    }

    /** The largest value over all subtasks. */
    public OptionalLong max(JobID job, String vertex, String metric) throws IOException {
        return aggregate(job, vertex, metric, "max");
    }

    private OptionalLong aggregate(JobID job, String vertex, String metric, String aggregation) throws IOException {
        Long value = aggregate(job, vertex, aggregation, List.of(metric)).get(metric);
        return value == null ? OptionalLong.empty() : OptionalLong.of(value);
    }

    /**
     * Aggregates operator metrics over the subtasks of the first vertex whose name contains
     * {@code vertex}, in one request. A metric name matches a metric id that equals it or ends with
     * {@code .name} (an operator-name prefix), or, given as {@code prefix*name}, an id that starts
     * with {@code prefix} and ends with {@code name}. Metrics not there yet (job, vertex or metric
     * not started) are missing from the result.
     */
    public Map<String, Long> aggregate(JobID job, String vertex, String aggregation, List<String> metrics)
            throws IOException {
        Map<String, Long> values = new HashMap<>();
        for (JsonNode v : get("/jobs/" + job).path("vertices")) {
            if (!v.path("name").asText().contains(vertex)) {
                continue;
            }
            String path = "/jobs/" + job + "/vertices/" + v.path("id").asText() + "/subtasks/metrics";
            Map<String, String> ids = new HashMap<>();
            for (JsonNode m : get(path)) {
                String id = m.path("id").asText();
                for (String metric : metrics) {
                    if (matches(id, metric)) {
                        ids.putIfAbsent(id, metric);
                    }
                }
            }
            if (!ids.isEmpty()) {
                for (JsonNode value : get(path + "?get=" + String.join(",", ids.keySet()) + "&agg=" + aggregation)) {
                    String metric = ids.get(value.path("id").asText());
                    if (metric != null && value.has(aggregation)) {
                        values.put(metric, (long) value.path(aggregation).asDouble());
                    }
                }
            }
            return values;
        }
        return values;
    }

    private static boolean matches(String id, String metric) {
        int star = metric.indexOf('*');
        if (star >= 0) {
            return id.startsWith(metric.substring(0, star)) && id.endsWith(metric.substring(star + 1));
        }
        return id.equals(metric) || id.endsWith("." + metric);
    }

    /** A metric of the job itself ({@code numRestarts}, say), or empty when it is not there (yet). */
    public OptionalLong job(JobID job, String metric) throws IOException {
        for (JsonNode m : get("/jobs/" + job + "/metrics?get=" + metric)) {
            if (metric.equals(m.path("id").asText()) && m.has("value")) {
                return OptionalLong.of((long) m.path("value").asDouble());
            }
        }
        return OptionalLong.empty();
    }

    /** The job's status ({@code RUNNING}, {@code RESTARTING}, ...), or empty when the job is unknown. */
    public Optional<String> status(JobID job) throws IOException {
        String state = get("/jobs/" + job).path("state").asText("");
        return state.isEmpty() ? Optional.empty() : Optional.of(state);
    }
}
