package org.impressionsclicks.sink;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.apache.flink.api.common.serialization.Encoder;
import org.impressionsclicks.model.DailyReport;

/** Writes a day's complete CSV (header included) as one element. */
public final class DailyCsvEncoder implements Encoder<DailyReport> {

    private static final long serialVersionUID = 1L;

    @Override
    public void encode(DailyReport report, OutputStream stream) throws IOException {
        stream.write(report.csv.getBytes(StandardCharsets.UTF_8));
    }
}
