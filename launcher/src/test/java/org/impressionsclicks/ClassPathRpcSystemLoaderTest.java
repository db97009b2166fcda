package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;

/** The embedded cluster's RPC system. */
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
}
