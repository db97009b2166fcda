package org.impressionsclicks.testing;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestartStrategyOptions;
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

    /** A job configuration that restarts every 500 ms after a failure, up to 1000 times (fault tests). */
    public static Configuration restartQuickly(Configuration flinkConfig) {
        flinkConfig.set(RestartStrategyOptions.RESTART_STRATEGY, "fixed-delay");
        flinkConfig.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_ATTEMPTS, 1000);
        flinkConfig.set(RestartStrategyOptions.RESTART_STRATEGY_FIXED_DELAY_DELAY, Duration.ofMillis(500));
        return flinkConfig;
    }
}
