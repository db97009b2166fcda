package org.impressionsclicks.testing;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.OptionalLong;
import org.apache.flink.api.common.JobID;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/** Reads job metrics through Flink's REST API, as the web UI does. */
public final class RestMetrics {

    private static final ObjectMapper JSON = new ObjectMapper();
    private final HttpClient http = HttpClient.newHttpClient();
    private final String base;

    public RestMetrics(String webInterfaceUrl) {
        this.base = webInterfaceUrl.endsWith("/") ? webInterfaceUrl.substring(0, webInterfaceUrl.length() - 1) : webInterfaceUrl;
    }

    private JsonNode get(String path) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(base + path)).build(), HttpResponse.BodyHandlers.ofString());
        return JSON.readTree(response.body());
    }

    /** The sum over all subtasks of the operator metric {@code metric} in the vertex whose name contains {@code vertex}. */
    public OptionalLong sum(JobID job, String vertex, String metric) throws Exception {
        return aggregate(job, vertex, metric, "sum");
    }

    /** The smallest value over all subtasks, e.g. of an operator's {@code currentInputWatermark}. */
    public OptionalLong min(JobID job, String vertex, String metric) throws Exception {
        return aggregate(job, vertex, metric, "min");
    }

    private OptionalLong aggregate(JobID job, String vertex, String metric, String aggregation) throws Exception {
        for (JsonNode v : get("/jobs/" + job).path("vertices")) {
            if (!v.path("name").asText().contains(vertex)) {
                continue;
            }
            String id = v.path("id").asText();
            for (JsonNode m : get("/jobs/" + job + "/vertices/" + id + "/subtasks/metrics")) {
                String name = m.path("id").asText();
                if (name.equals(metric) || name.endsWith("." + metric)) {
                    JsonNode values = get("/jobs/" + job + "/vertices/" + id + "/subtasks/metrics?get=" + name);
                    for (JsonNode value : values) {
                        return OptionalLong.of((long) value.path(aggregation).asDouble());
                    }
                }
            }
        }
        return OptionalLong.empty();
    }
}
