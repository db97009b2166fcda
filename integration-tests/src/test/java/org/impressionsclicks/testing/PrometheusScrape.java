package org.impressionsclicks.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalDouble;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.flink.util.NetUtils;

/**
 * What Flink's Prometheus reporters serve: {@code GET /metrics} on 127.0.0.1 of every port of a
 * reporter's port range that answers (a JobManager and each TaskManager bind one port of the range
 * each; a MiniCluster shares one reporter), parsed from the text exposition format.
 */
public final class PrometheusScrape {

    /** One sample: {@code name{labels} value}. */
    public record Sample(String name, Map<String, String> labels, double value) {}

    private static final HttpClient HTTP =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final List<Sample> samples;
    private final Set<Integer> ports;

    private PrometheusScrape(List<Sample> samples, Set<Integer> ports) {
        this.samples = samples;
        this.ports = ports;
    }

    /** Scrapes every port of {@code portRange} (Flink's syntax: {@code 9249}, {@code 9249-9260}, {@code 9249,9251}). */
    public static PrometheusScrape of(String portRange) throws InterruptedException {
        List<Sample> samples = new ArrayList<>();
        Set<Integer> answered = new TreeSet<>();
        for (var ports = NetUtils.getPortRangeFromString(portRange); ports.hasNext(); ) {
            int port = ports.next();
            String body;
            try {
                HttpResponse<String> response = HTTP.send(
                        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                                .timeout(Duration.ofSeconds(10))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() != 200) {
                    continue;
                }
                body = response.body();
            } catch (IOException nothingThere) {
                continue;
            }
            answered.add(port);
            body.lines()
                    .filter(l -> !l.isBlank() && !l.startsWith("#"))
                    .map(PrometheusScrape::parse)
                    .forEach(samples::add);
        }
        return new PrometheusScrape(samples, answered);
    }

    /** One line of the text format: {@code name{a="x",b="y"} value [timestamp]}. */
    static Sample parse(String line) {
        int brace = line.indexOf('{');
        int space = line.indexOf(' ');
        String name;
        Map<String, String> labels = new LinkedHashMap<>();
        String rest;
        if (brace >= 0 && brace < space) {
            name = line.substring(0, brace);
            int close = line.lastIndexOf('}');
            Matcher m = LABEL.matcher(line.substring(brace + 1, close));
            while (m.find()) {
                labels.put(
                        m.group(1),
                        m.group(2).replace("\\\"", "\"").replace("\\n", "\n").replace("\\\\", "\\"));
            }
            rest = line.substring(close + 1).trim();
        } else {
            name = line.substring(0, space);
            rest = line.substring(space + 1).trim();
        }
        String value = rest.split(" ")[0];
        return new Sample(name, labels, Double.parseDouble(value.replace("Inf", "Infinity")));
    }

    public List<Sample> samples() {
        return samples;
    }

    /** The ports that answered. */
    public Set<Integer> ports() {
        return ports;
    }

    /** Every metric name in the scrape. */
    public Set<String> names() {
        return samples.stream().map(Sample::name).collect(Collectors.toCollection(TreeSet::new));
    }

    /** The samples of metric {@code name} whose labels satisfy {@code labels}. */
    public List<Sample> of(String name, Predicate<Map<String, String>> labels) {
        return samples.stream()
                .filter(s -> s.name().equals(name) && labels.test(s.labels()))
                .toList();
    }

    /** The sum over subtasks of metric {@code name} of the operator {@code operatorName} (as Flink names it), if any. */
    public OptionalDouble operatorSum(String name, String operatorName) {
        List<Sample> found = of(name, operator(operatorName));
        return found.isEmpty()
                ? OptionalDouble.empty()
                : OptionalDouble.of(found.stream().mapToDouble(Sample::value).sum());
    }

    /** Matches the {@code operator_name} label of an operator named {@code operatorName} (the reporter replaces characters). */
    public static Predicate<Map<String, String>> operator(String operatorName) {
        return labels -> labelValue(operatorName).equals(labels.get("operator_name"));
    }

    /** A label value as the reporter writes it: every character but letters, digits, {@code _} and {@code :} becomes {@code _}. */
    public static String labelValue(String value) {
        return value.replaceAll("[^a-zA-Z0-9_:]", "_");
    }
}
