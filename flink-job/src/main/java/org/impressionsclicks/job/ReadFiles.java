package org.impressionsclicks.job;

import org.apache.flink.api.common.functions.FilterFunction;
import org.impressionsclicks.model.FileCount;

/** Keeps one record per file that was read (not rejected): the one carrying the file-level facts. */
public final class ReadFiles implements FilterFunction<FileCount> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(FileCount count) {
        return count.firstOfFile && count.rejection == null;
    }
}
