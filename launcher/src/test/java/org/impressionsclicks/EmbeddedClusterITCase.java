package org.impressionsclicks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.BindException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.apache.flink.api.common.functions.RichMapFunction;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.util.CloseableIterator;
import org.apache.flink.util.ExceptionUtils;
import org.impressionsclicks.testing.Await;
import org.junit.jupiter.api.Test;

/** The embedded cluster: started ahead of its job, the job run on it, the cluster shut down after. */
class EmbeddedClusterITCase {

    private static Configuration parallelism(int parallelism) {
        Configuration config = new Configuration();
        config.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        return config;
    }

    /** Each record replaced by the parallelism of the subtask that saw it. */
    private static final class Parallelism extends RichMapFunction<Long, Integer> {
        @Override
        public Integer map(Long value) {
            return getRuntimeContext().getTaskInfo().getNumberOfParallelSubtasks();
        }
    }

    @Test
    void runsItsJobAtTheConfiguredParallelismAndShutsDownWhenTheJobEnds() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(parallelism(2))) {
            StreamExecutionEnvironment env = cluster.environment();
            assertThat(env.getParallelism()).isEqualTo(2);
            List<Integer> seen;
            try (CloseableIterator<Integer> out =
                    env.fromSequence(1, 20).map(new Parallelism()).executeAndCollect()) {
                seen = new java.util.ArrayList<>();
                out.forEachRemaining(seen::add);
            }
            assertThat(seen).hasSize(20).containsOnly(2);
            // the job's client shuts the cluster down once the job has ended, as Flink's local executor does
            assertThat(cluster.cluster().isRunning()).isFalse();
        }
    }

    @Test
    void aJobWiderThanTheClusterFailsAtSubmissionWithTheReason() throws Exception {
        try (EmbeddedCluster cluster = EmbeddedCluster.start(parallelism(1))) {
            StreamExecutionEnvironment env = cluster.environment();
            env.fromSequence(1, 10)
                    .setParallelism(3)
                    .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
            assertThatThrownBy(env::execute)
                    .hasMessage("the embedded cluster has 1 slot(s), the job asks for 3 (set parallelism.default)");
        }
    }

    /** A record a millisecond, so that the job runs until it is cancelled. */
    private static final class Slowly extends RichMapFunction<Long, Long> {
        @Override
        public Long map(Long value) throws InterruptedException {
            Thread.sleep(1);
            return value;
        }
    }

    @Test
    void theRestApiAnswersMetricQueriesFromTheClustersOneActorSystem() throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (EmbeddedCluster cluster = EmbeddedCluster.start(parallelism(1))) {
            StreamExecutionEnvironment env = cluster.environment();
            env.fromSequence(1, Long.MAX_VALUE)
                    .map(new Slowly())
                    .name("Slowly")
                    .sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
            JobClient job = env.executeAsync("metrics");
            try {
                // the metrics' query service is an endpoint of the cluster's RPC service (OneActorSystem)
                assertThat(Thread.getAllStackTraces().keySet().stream()
                                .filter(thread -> !before.contains(thread))
                                .map(Thread::getName))
                        .isNotEmpty()
                        .noneMatch(name -> name.startsWith(OneActorSystem.METRICS_COMPONENT));
                RestJobMetrics metrics = new RestJobMetrics(
                        cluster.cluster().getRestAddress().get().toString());
                Await.until(
                        Duration.ofSeconds(60),
                        "records counted in the REST API's metrics",
                        () -> metrics.sum(job.getJobID(), "Slowly", "Slowly.numRecordsOut")
                                        .orElse(0)
                                > 0);
            } finally {
                job.cancel().get();
            }
        }
    }

    @Test
    void closingBeforeAnyJobStopsTheCluster() throws Exception {
        EmbeddedCluster cluster = EmbeddedCluster.start(parallelism(1));
        cluster.close();
        assertThat(cluster.cluster().isRunning()).isFalse();
    }

    @Test
    void aClusterThatCannotStartFailsTheSubmissionWithItsCause() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Configuration config = parallelism(1);
            config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
            config.set(RestOptions.PORT, taken.getLocalPort());
            try (EmbeddedCluster cluster = EmbeddedCluster.start(config)) {
                StreamExecutionEnvironment env = cluster.environment();
                env.fromSequence(1, 10).sinkTo(new org.apache.flink.streaming.api.functions.sink.v2.DiscardingSink<>());
                assertThatThrownBy(env::execute)
                        .satisfies(e -> assertThat(ExceptionUtils.findThrowable(e, BindException.class))
                                .isPresent());
            }
        }
    }
}
