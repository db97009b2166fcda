package org.impressionsclicks.sink;

import java.io.IOException;
import org.apache.flink.streaming.api.functions.sink.filesystem.PartFileInfo;
import org.apache.flink.streaming.api.functions.sink.filesystem.rollingpolicies.CheckpointRollingPolicy;
import org.impressionsclicks.model.DailyReport;

/**
 * Starts a new part file for every report, so a part file always holds exactly one complete day,
 * and rolls on checkpoints as the exactly-once FileSink requires.
 */
public final class OneFilePerReportRollingPolicy extends CheckpointRollingPolicy<DailyReport, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean shouldRollOnEvent(PartFileInfo<String> partFileState, DailyReport element) throws IOException {
        return partFileState.getSize() > 0;
    }

    @Override
    public boolean shouldRollOnProcessingTime(PartFileInfo<String> partFileState, long currentTime) {
        return false;
    }
}
