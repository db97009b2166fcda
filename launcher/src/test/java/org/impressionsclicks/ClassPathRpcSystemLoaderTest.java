package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;

/** The embedded cluster's RPC system and network buffers. */
class ClassPathRpcSystemLoaderTest {

    @Test
    void flinksRpcSystemComesFromTheApplicationClassPathNotFromAnUnpackedJar() throws Exception {
        try (RpcSystem rpc = RpcSystem.load(new Configuration())) {
            // Flink's own loader would have unpacked flink-rpc-akka into a temporary folder and loaded it through a
            // class loader of its own, which a class-data archive can't hold
            assertThat(rpc.getClass().getName()).isEqualTo("org.apache.flink.runtime.rpc.pekko.PekkoRpcSystem");
            assertThat(rpc.getClass().getClassLoader()).isSameAs(RpcSystem.class.getClassLoader());
        }
    }

    @Test
    void theEmbeddedClusterGetsSmallNetworkBuffersUnlessTheConfigurationSetsThem() {
        Configuration silent = EmbeddedCluster.withDefaults(new Configuration());
        assertThat(silent.get(TaskManagerOptions.NETWORK_MEMORY_MAX)).isEqualTo(MemorySize.ofMebiBytes(16));
        assertThat(silent.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isEqualTo(MemorySize.parse("8kb"));

        Configuration set = new Configuration();
        set.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, MemorySize.parse("32kb"));
        EmbeddedCluster.withDefaults(set);
        assertThat(set.get(TaskManagerOptions.MEMORY_SEGMENT_SIZE)).isEqualTo(MemorySize.parse("32kb"));
        assertThat(set.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)).isFalse();
    }
}
