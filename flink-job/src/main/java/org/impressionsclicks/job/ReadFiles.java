package org.impressionsclicks.job;

import org.apache.flink.api.common.functions.FilterFunction;
import org.impressionsclicks.model.FileResult;

/** Keeps the results of files that were read (not rejected). */
public final class ReadFiles implements FilterFunction<FileResult> {

    private static final long serialVersionUID = 1L;

    @Override
    public boolean filter(FileResult file) {
        return file.wasRead();
    }
}
