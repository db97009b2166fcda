package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.runtime.OperatorIDPair;
import org.apache.flink.runtime.jobgraph.JobVertex;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.sink.JobSinks;
import org.impressionsclicks.testing.Jobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job graph itself: stable uids and names, which savepoint compatibility depends on. */
class TopologyTest {

    @TempDir
    Path dir;

    private StreamGraph graph() {
        return graph(new Configuration());
    }

    private StreamGraph graph(Configuration flinkConfig) {
        // a database that is never connected to: the graph is only built, not run
        JobConfig config =
                Jobs.config(dir, dir.resolve("out")).withDatabaseAt("jdbc:postgresql://127.0.0.1:1/none", "postgres");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flinkConfig);
        ImpressionsClicksJob.defineWorkflow(env, config, ImpressionsClicksJob.fileSource(config), JobSinks.of(config));
        return env.getStreamGraph();
    }

    /** Building the graph creates the serializer of every stream: one that needs Kryo fails it. */
    @Test
    void noStreamIsSerializedByKryo() {
        Configuration noGenericTypes = new Configuration();
        noGenericTypes.set(PipelineOptions.GENERIC_TYPES, false);
        assertThat(graph(noGenericTypes).getStreamNodes()).isNotEmpty();
    }

    /**
     * A file is read, split and audited in one task, without being serialized: the source's records
     * and the files' results pass between these operators as objects. Only the hours, the read files
     * and the audit rows cross to other tasks.
     */
    @Test
    void aFileIsSplitInTheSourcesTask() {
        List<List<String>> chains = new ArrayList<>();
        for (JobVertex vertex : graph().getJobGraph().getVertices()) {
            chains.add(vertex.getOperatorIDs().stream()
                    .map(OperatorIDPair::getUserDefinedOperatorUid)
                    .sorted()
                    .toList());
        }
        assertThat(chains)
                .contains(List.of("event-files-source", "event-time", "file-metrics", "load-audit-rows", "read-files"));
    }

    @Test
    void everyOperatorHasAUidAndAName() {
        List<StreamNode> nodes = List.copyOf(graph().getStreamNodes());
        assertThat(nodes).isNotEmpty().allSatisfy(node -> {
            assertThat(node.getTransformationUID())
                    .as("uid of %s", node.getOperatorName())
                    .isNotBlank();
            assertThat(node.getOperatorName()).isNotBlank();
        });
    }

    /**
     * The uids as literals, not as the constants: a savepoint maps its state by these strings, so
     * changing a constant's value (or Flink changing how it derives a sink's committer uid) must fail
     * here, not at the first restore. Keyed by operator name, so a new operator needs an entry too.
     */
    @Test
    void theUidsAreTheOnesSavepointsWereTakenWith() {
        Map<String, String> uidsByName = graph().getStreamNodes().stream()
                .collect(Collectors.toMap(StreamNode::getOperatorName, StreamNode::getTransformationUID));
        assertThat(uidsByName)
                .isEqualTo(Map.ofEntries(
                        Map.entry("Source: Event files", "event-files-source"),
                        Map.entry("Event time", "event-time"),
                        Map.entry("Count files and drop unmatched", "file-metrics"),
                        Map.entry("Hourly totals", "hourly-totals"),
                        Map.entry("Report late files", "late-files"),
                        Map.entry("Read files", "read-files"),
                        Map.entry("Daily reports", "daily-reports"),
                        Map.entry("Daily CSV files: Writer", "daily-csv-sink"),
                        Map.entry("Daily CSV files: Committer", "Sink Committer: daily-csv-sink"),
                        Map.entry("Processed files (keep): Writer", "processed-files"),
                        Map.entry("Processed files (keep): Committer", "Sink Committer: processed-files"),
                        Map.entry("PostgreSQL upsert: Writer", "postgres-sink"),
                        Map.entry("PostgreSQL upsert: Committer", "Sink Committer: postgres-sink"),
                        Map.entry("Load audit rows", "load-audit-rows"),
                        Map.entry("PostgreSQL load audit: Writer", "load-audit-sink"),
                        Map.entry("PostgreSQL load audit: Committer", "Sink Committer: load-audit-sink")));
    }
}
