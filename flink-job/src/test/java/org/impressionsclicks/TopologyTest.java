package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.streaming.api.graph.StreamNode;
import org.impressionsclicks.config.DatabaseSettings;
import org.impressionsclicks.config.JobConfig;
import org.impressionsclicks.sink.DailyCsvSink;
import org.impressionsclicks.sink.PostgresSink;
import org.impressionsclicks.sink.ProcessedFilesSink;
import org.impressionsclicks.testing.Jobs;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The job graph itself: stable uids and names, which savepoint compatibility depends on. */
class TopologyTest {

    @TempDir Path dir;

    private StreamGraph graph() {
        JobConfig config = Jobs.config(dir, dir.resolve("out"));
        DatabaseSettings db = config.databaseDefaults.withUrl("jdbc:postgresql://127.0.0.1:1/none", "postgres");
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment();
        ImpressionsClicksJob.defineWorkflow(env, config, ImpressionsClicksJob.fileSource(config), DailyCsvSink.create(config.output),
                PostgresSink.hourlyTotals(db), PostgresSink.loadAudit(db),
                new ProcessedFilesSink(config.processed, config.input, config.archiveDir));
        return env.getStreamGraph();
    }

    @Test
    void everyOperatorHasAUidAndAName() {
        List<StreamNode> nodes = List.copyOf(graph().getStreamNodes());
        assertThat(nodes).isNotEmpty().allSatisfy(node -> {
            assertThat(node.getTransformationUID()).as("uid of %s", node.getOperatorName()).isNotBlank();
            assertThat(node.getOperatorName()).isNotBlank();
        });
    }

    @Test
    void theUidsAreTheDocumentedConstants() {
        List<String> uids = graph().getStreamNodes().stream().map(StreamNode::getTransformationUID).collect(Collectors.toList());
        assertThat(uids).contains(ImpressionsClicksJob.SOURCE_UID, ImpressionsClicksJob.EVENT_TIME_UID,
                ImpressionsClicksJob.FILE_METRICS_UID, ImpressionsClicksJob.HOURLY_TOTALS_UID, ImpressionsClicksJob.LATE_FILES_UID,
                ImpressionsClicksJob.DAILY_REPORTS_UID, ImpressionsClicksJob.AUDIT_ROWS_UID, ImpressionsClicksJob.READ_FILES_UID)
                .doesNotHaveDuplicates();
        assertThat(String.join(",", uids)).contains(ImpressionsClicksJob.CSV_SINK_UID, ImpressionsClicksJob.POSTGRES_SINK_UID,
                ImpressionsClicksJob.AUDIT_SINK_UID, ImpressionsClicksJob.PROCESSED_FILES_UID);
    }
}
