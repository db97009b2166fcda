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
        Configuration silent = EmbeddedCluster.withDefaults(new Configuration());
        assertThat(silent.get(TaskManagerOptions.NETWORK_MEMORY_MAX)).isEqualTo(MemorySize.ofMebiBytes(16));
        assertThat(silent.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isEqualTo(MemorySize.parse("8kb"));

        Configuration set = new Configuration();
        set.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, MemorySize.parse("32kb"));
        EmbeddedCluster.withDefaults(set);
        assertThat(set.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isEqualTo(MemorySize.parse("32kb"));
        assertThat(set.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)).isFalse();
    }

    @Test
    void slotsAreAskedForAtOnceAndNoDelegationTokensAreFetchedUnlessConfigured() {
        Configuration silent = EmbeddedCluster.withDefaults(new Configuration());
        assertThat(silent.get(JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL)).isZero();
        assertThat(silent.get(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY)).isZero();
        assertThat(silent.get(SecurityOptions.DELEGATION_TOKENS_ENABLED)).isFalse();

        Configuration set = new Configuration();
        set.set(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, Duration.ofMillis(50));
        set.set(SecurityOptions.DELEGATION_TOKENS_ENABLED, true);
        EmbeddedCluster.withDefaults(set);
        assertThat(set.get(ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY)).isEqualTo(Duration.ofMillis(50));
        assertThat(set.get(SecurityOptions.DELEGATION_TOKENS_ENABLED)).isTrue();
    }
}
