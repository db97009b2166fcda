package org.impressionsclicks.sink;

import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.streaming.api.functions.sink.filesystem.BucketAssigner;
import org.apache.flink.streaming.api.functions.sink.filesystem.bucketassigners.SimpleVersionedStringSerializer;
import org.impressionsclicks.model.DailyReport;

/** One bucket (sub-folder) per event date, {@code output/YYYY-MM-DD/}; never processing time. */
public final class EventDateBucketAssigner implements BucketAssigner<DailyReport, String> {

    private static final long serialVersionUID = 1L;

    @Override
    public String getBucketId(DailyReport report, Context context) {
        return report.date;
    }

    @Override
    public SimpleVersionedSerializer<String> getSerializer() {
        return SimpleVersionedStringSerializer.INSTANCE;
    }
}
