package org.impressionsclicks.testing;

import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.test.junit5.MiniClusterExtension;

/** The MiniCluster every pipeline test shares: one TaskManager with two slots, run at parallelism 2. */
public final class MiniClusters {

    public static final int PARALLELISM = 2;

    private MiniClusters() {}

    public static MiniClusterExtension extension() {
        return new MiniClusterExtension(new MiniClusterResourceConfiguration.Builder()
                .setNumberTaskManagers(1)
                .setNumberSlotsPerTaskManager(PARALLELISM)
                .build());
    }
}
