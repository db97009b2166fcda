package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.metrics.util.MetricUtils;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.junit.jupiter.api.Test;

/** The embedded cluster's RPC system: the metrics' query service on the cluster's one RPC service. */
class OneActorSystemTest {

    private static final Configuration CONFIG = new Configuration();

    @Test
    void theMetricsServiceThatFlinkAsksForIsTheClustersOwnAndClosingItLeavesThatRunning() throws Exception {
        try (RpcSystem rpc = new OneActorSystem(RpcSystem.load(CONFIG))) {
            RpcService cluster = rpc.localServiceBuilder(CONFIG).createAndStart();
            try {
                // the call a MiniCluster makes for its metrics, with Flink's component name
                RpcService metrics = MetricUtils.startLocalMetricsRpcService(CONFIG, rpc);
                assertThat(metrics).isNotSameAs(cluster);
                assertThat(metrics.getScheduledExecutor()).isSameAs(cluster.getScheduledExecutor());
                assertThat(metrics.getAddress()).isEqualTo(cluster.getAddress());

                metrics.closeAsync().get(10, TimeUnit.SECONDS);
                // still running: it schedules and runs work
                assertThat(cluster.getScheduledExecutor()
                                .schedule(() -> "ran", 1, TimeUnit.MILLISECONDS)
                                .get(10, TimeUnit.SECONDS))
                        .isEqualTo("ran");
            } finally {
                cluster.closeAsync().get(30, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void withoutAClusterServiceTheMetricsGetAnActorSystemOfTheirOwn() throws Exception {
        try (RpcSystem rpc = new OneActorSystem(RpcSystem.load(CONFIG))) {
            RpcService metrics = MetricUtils.startLocalMetricsRpcService(CONFIG, rpc);
            RpcService cluster = rpc.localServiceBuilder(CONFIG).createAndStart();
            try {
                assertThat(metrics.getScheduledExecutor()).isNotSameAs(cluster.getScheduledExecutor());
            } finally {
                metrics.closeAsync().get(30, TimeUnit.SECONDS);
                cluster.closeAsync().get(30, TimeUnit.SECONDS);
            }
        }
    }
}
