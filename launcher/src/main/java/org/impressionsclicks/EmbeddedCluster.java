package org.impressionsclicks;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;

/** What an embedded cluster (the launcher's, the benchmark's) sets where its configuration is silent. */
public final class EmbeddedCluster {

    /**
     * Network buffers of the embedded cluster, unless {@code conf/} sets them: Flink's MiniCluster takes
     * 64 MiB of direct memory in 32 KiB buffers, all allocated (and so resident) at start. This job's
     * records are a few dozen bytes, so 8 KiB buffers carry them as well, and 16 MiB of them are 2 048
     * buffers: what its exchanges ask for at parallelism 8 (33 MiB of 32 KiB buffers) four times over.
     */
    static final MemorySize NETWORK_MEMORY = MemorySize.ofMebiBytes(16);

    static final MemorySize NETWORK_BUFFER = MemorySize.parse("8kb");

    private EmbeddedCluster() {}

    /** {@code flinkConfig} with the embedded cluster's network buffers, unless it sets any of them. */
    public static Configuration withDefaults(Configuration flinkConfig) {
        if (!flinkConfig.contains(TaskManagerOptions.NETWORK_MEMORY_MIN)
                && !flinkConfig.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)
                && !flinkConfig.contains(TaskManagerOptions.MEMORY_SEGMENT_SIZE)) {
            flinkConfig.set(TaskManagerOptions.NETWORK_MEMORY_MIN, NETWORK_MEMORY);
            flinkConfig.set(TaskManagerOptions.NETWORK_MEMORY_MAX, NETWORK_MEMORY);
            flinkConfig.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, NETWORK_BUFFER);
        }
        return flinkConfig;
    }
}
