package org.impressionsclicks.job;

import org.apache.flink.api.common.accumulators.LongCounter;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.impressionsclicks.model.DateHours;
import org.impressionsclicks.model.FileAudit;
import org.impressionsclicks.model.FileHour;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Receives the counts that arrived after their hour's allowed lateness: they are not in the CSV
 * nor in PostgreSQL, so each is logged with its file, counted (metrics {@code lateFiles},
 * {@code lateEvents}) and recorded as {@code late} in the load audit instead of vanishing.
 */
public final class LateFileReporter extends ProcessFunction<FileHour, FileAudit> {

    private static final long serialVersionUID = 1L;
    private static final Logger LOG = LoggerFactory.getLogger(LateFileReporter.class);

    private transient Counter lateFiles;
    private transient Counter lateEvents;
    private transient LongCounter lateTotal;

    /** Accumulator of a run's summary: files (per hour) that came too late. */
    public static final String LATE_ACCUMULATOR = "lateFiles";

    @Override
    public void open(OpenContext openContext) {
        lateFiles = getRuntimeContext().getMetricGroup().counter("lateFiles");
        lateEvents = getRuntimeContext().getMetricGroup().counter("lateEvents");
        lateTotal = getRuntimeContext().getLongCounter(LATE_ACCUMULATOR);
    }

    @Override
    public void processElement(FileHour late, Context ctx, Collector<FileAudit> out) {
        lateFiles.inc();
        lateTotal.add(1);
        lateEvents.inc(late.events);
        LOG.warn(
                "Late file {}: {} impressions and {} clicks of hour {} arrived after the allowed lateness "
                        + "(watermark {}); they are not counted",
                late.file,
                late.impressions(),
                late.clicks(),
                DateHours.format(late.hourStart),
                DateHours.format(ctx.timerService().currentWatermark()));
        out.collect(FileAudits.late(late));
    }
}
