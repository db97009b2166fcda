package org.impressionsclicks.testing;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.JsonNode;
import org.apache.flink.shaded.jackson2.com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The shipped Grafana dashboard, read as Grafana does: its panels (rows included), each panel's
 * PromQL queries and the queries of its template variables, reduced to the series selectors they
 * use ({@code flink_...{label="value"}}).
 */
public final class GrafanaDashboard {

    /** Where the dashboard lives, from the repository's root. */
    public static final String PATH = "deploy/grafana/impressions-clicks.json";

    private static final Pattern SELECTOR = Pattern.compile("(flink_[a-zA-Z0-9_:]+)\\s*(?:\\{([^}]*)\\})?");
    private static final Pattern MATCHER = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)\\s*(=~|!~|!=|=)\\s*\"([^\"]*)\"");

    /** A label matcher of a selector; a value with a Grafana variable ({@code $job_name}) only needs the label. */
    public record LabelMatcher(String label, String op, String value) {
        boolean matches(Map<String, String> labels) {
            String actual = labels.get(label);
            if (value.contains("$")) {
                return actual != null;
            }
            return switch (op) {
                case "=" -> value.equals(actual == null ? "" : actual);
                case "!=" -> !value.equals(actual == null ? "" : actual);
                case "=~" -> actual != null && actual.matches(value);
                default -> actual == null || !actual.matches(value);
            };
        }
    }

    /** {@code metric{matchers}} as written in a query. */
    public record Selector(String metric, List<LabelMatcher> matchers) {
        public boolean matches(Map<String, String> labels) {
            return matchers.stream().allMatch(m -> m.matches(labels));
        }

        @Override
        public String toString() {
            return metric + matchers;
        }
    }

    /** A panel (or a template variable, titled {@code variable <name>}) and the selectors of its queries. */
    public record Panel(String title, List<String> queries, List<Selector> selectors) {}

    private final List<Panel> panels;

    private GrafanaDashboard(List<Panel> panels) {
        this.panels = panels;
    }

    public static GrafanaDashboard read(Path file) throws IOException {
        JsonNode root = new ObjectMapper().readTree(file.toFile());
        List<Panel> panels = new ArrayList<>();
        collectPanels(root.path("panels"), panels);
        for (JsonNode variable : root.path("templating").path("list")) {
            if (variable.path("type").asText().equals("query")) {
                JsonNode query = variable.path("query");
                String text =
                        query.isTextual() ? query.asText() : query.path("query").asText();
                panels.add(panel("variable " + variable.path("name").asText(), List.of(text)));
            }
        }
        return new GrafanaDashboard(panels);
    }

    private static void collectPanels(JsonNode list, List<Panel> into) {
        for (JsonNode panel : list) {
            if (panel.path("type").asText().equals("row")) {
                collectPanels(panel.path("panels"), into);
                continue;
            }
            List<String> queries = new ArrayList<>();
            panel.path("targets").forEach(t -> queries.add(t.path("expr").asText()));
            into.add(panel(panel.path("title").asText(), queries));
        }
    }

    static Panel panel(String title, List<String> queries) {
        List<Selector> selectors = new ArrayList<>();
        for (String query : queries) {
            Matcher m = SELECTOR.matcher(query);
            while (m.find()) {
                List<LabelMatcher> matchers = new ArrayList<>();
                if (m.group(2) != null) {
                    Matcher lm = MATCHER.matcher(m.group(2));
                    while (lm.find()) {
                        matchers.add(new LabelMatcher(lm.group(1), lm.group(2), lm.group(3)));
                    }
                }
                selectors.add(new Selector(m.group(1), matchers));
            }
        }
        return new Panel(title, queries, selectors);
    }

    public List<Panel> panels() {
        return panels;
    }

    public List<Selector> selectors() {
        return panels.stream().flatMap(p -> p.selectors().stream()).toList();
    }

    /** Every metric name the dashboard queries. */
    public Set<String> metrics() {
        Set<String> names = new TreeSet<>();
        selectors().forEach(s -> names.add(s.metric()));
        return names;
    }
}
