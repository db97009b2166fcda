package org.impressionsclicks.sink;

import org.apache.flink.connector.file.sink.FileSink;
import org.apache.flink.core.fs.Path;
import org.apache.flink.streaming.api.functions.sink.filesystem.OutputFileConfig;
import org.impressionsclicks.model.DailyReport;

/**
 * The daily CSV {@link FileSink}: {@code <output>/<date>/day-<uuid>-<subtask>-<n>.csv}, one complete
 * day per file. Files become visible (lose their hidden in-progress name) when the checkpoint after
 * them completes, or at end of input in bounded mode.
 */
public final class DailyCsvSink {

    public static final String PART_PREFIX = "day";
    public static final String PART_SUFFIX = ".csv";

    private DailyCsvSink() {}

    public static FileSink<DailyReport> create(String outputDir) {
        return FileSink.forRowFormat(new Path(outputDir), new DailyCsvEncoder())
                .withBucketAssigner(new EventDateBucketAssigner())
                .withRollingPolicy(new OneFilePerReportRollingPolicy())
                .withOutputFileConfig(OutputFileConfig.builder()
                        .withPartPrefix(PART_PREFIX)
                        .withPartSuffix(PART_SUFFIX)
                        .build())
                .build();
    }
}
