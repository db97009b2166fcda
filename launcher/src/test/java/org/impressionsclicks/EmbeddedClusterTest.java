package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.junit.jupiter.api.Test;

/** What the embedded cluster sets where its configuration is silent, and only there. */
class EmbeddedClusterTest {

    @Test
    void smallNetworkBuffersUnlessTheConfigurationSetsAnyOfThem() {
        Configuration silent = EmbeddedCluster.withDefaults(new Configuration(), 8, 8);
        assertThat(silent.get(TaskManagerOptions.NETWORK_MEMORY_MIN)).isEqualTo(MemorySize.ofMebiBytes(16));
        assertThat(silent.get(TaskManagerOptions.NETWORK_MEMORY_MAX)).isEqualTo(MemorySize.ofMebiBytes(16));
        assertThat(silent.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isEqualTo(MemorySize.parse("8kb"));

        Configuration set = new Configuration();
        set.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, MemorySize.parse("32kb"));
        EmbeddedCluster.withDefaults(set, 8, 8);
        assertThat(set.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isEqualTo(MemorySize.parse("32kb"));
        assertThat(set.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)).isFalse();
    }

    @Test
    void networkBuffersGrowWithTheSlotsTimesTheParallelismFromTwoMebibytes() {
        assertThat(EmbeddedCluster.networkMemory(1, 1)).isEqualTo(MemorySize.ofMebiBytes(2));
        assertThat(EmbeddedCluster.networkMemory(2, 2)).isEqualTo(MemorySize.ofMebiBytes(2));
        assertThat(EmbeddedCluster.networkMemory(3, 3)).isEqualTo(MemorySize.ofMebiBytes(2));
        assertThat(EmbeddedCluster.networkMemory(4, 4)).isEqualTo(MemorySize.ofMebiBytes(4));
        assertThat(EmbeddedCluster.networkMemory(4, 8)).isEqualTo(MemorySize.ofMebiBytes(8));
        assertThat(EmbeddedCluster.networkMemory(16, 16)).isEqualTo(MemorySize.ofMebiBytes(64));
    }

    @Test
    void slotsAreAskedForAtOnceAndNoDelegationTokensAreFetchedUnlessConfigured() {
        Configuration silent = EmbeddedCluster.withDefaults(new Configuration(), 2, 2);
        assertThat(silent.get(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL)).isZero();
        assertThat(silent.get(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY)).isZero();
        assertThat(silent.get(SecurityOptions.DELEGATION_TOKENS_ENABLED)).isFalse();

        Configuration set = new Configuration();
        set.set(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, Duration.ofMillis(50));
        set.set(SecurityOptions.DELEGATION_TOKENS_ENABLED, true);
        EmbeddedCluster.withDefaults(set, 2, 2);
        assertThat(set.get(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY)).isEqualTo(Duration.ofMillis(50));
        assertThat(set.get(SecurityOptions.DELEGATION_TOKENS_ENABLED)).isTrue();
    }
}
