package org.impressionsclicks;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;
import org.apache.flink.api.dag.Pipeline;
import org.apache.flink.client.ClientUtils;
import org.apache.flink.client.deployment.executors.PipelineExecutorUtils;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.DeploymentOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.ResourceManagerOptions;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.SecurityOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.PipelineExecutor;
import org.apache.flink.core.execution.PipelineExecutorFactory;
import org.apache.flink.core.execution.PipelineExecutorServiceLoader;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.runtime.minicluster.MiniClusterJobClient;
import org.apache.flink.runtime.minicluster.RpcServiceSharing;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.streaming.api.graph.StreamGraph;
import org.apache.flink.util.FlinkException;
import org.apache.flink.util.Reference;

/**
 * The Flink cluster in the launcher's (and the benchmark's) JVM: a {@link MiniCluster}, started in
 * the background as soon as its configuration is known, and an {@link #environment()} whose jobs
 * run on it. Flink's own local environment starts its MiniCluster only when the job is submitted;
 * this one starts while the job is still being built (its options read, its tables created, its
 * graph wired), which is 0.4 s of a backfill's 2 s.
 *
 * <p>Otherwise it is the cluster Flink's local executor would start: one TaskManager (unless
 * configured) with as many slots as the job's parallelism, shared RPC services, a REST endpoint on
 * a free port unless one is configured, and the cluster shut down when its job ends, as Flink's
 * per-job MiniCluster is. The job's parallelism is {@code parallelism.default}, or the cores.
 */
public final class EmbeddedCluster implements AutoCloseable {

    /**
     * Network buffers of a TaskManager of the embedded cluster with {@code slots} slots for a job of
     * {@code parallelism}, unless {@code conf/} sets them: {@code slots} × {@code parallelism} / 4 MiB, at
     * least 2 MiB, of 8 KiB buffers. Flink's MiniCluster takes 64 MiB of 32 KiB buffers, all allocated
     * and zeroed at start (resident, and on this project's machine 10 us of page faults per 4 KiB: 160
     * ms). This job's records are a few dozen bytes, so 8 KiB buffers carry them as well. Its exchanges are
     * all-to-all, so a task's buffers grow with the parallelism, and a TaskManager's with its tasks too:
     * one TaskManager of 2 slots ran on 1 MiB, one of 8 asked for 2-4 MiB (their 16 MiB here are 2 048
     * buffers, four times over).
     */
    static MemorySize networkMemory(int slots, int parallelism) {
        return MemorySize.ofMebiBytes(Math.max(2, (long) slots * parallelism / 4));
    }

    static final MemorySize NETWORK_BUFFER = MemorySize.parse("8kb");

    /**
     * How long the slot pool and the slot manager wait to batch slot requests (20 and 50 ms by
     * default): a cluster of one job asks once, so it asks at once.
     */
    static final Duration NO_SLOT_REQUEST_DELAY = Duration.ZERO;

    /** The name of the executor that submits to this cluster ({@code execution.target}). */
    static final String EXECUTOR_NAME = "impressions-clicks-embedded";

    private final Configuration configuration;
    private final int slots;
    private final CompletableFuture<MiniCluster> started;

    private EmbeddedCluster(Configuration configuration, int slots, CompletableFuture<MiniCluster> started) {
        this.configuration = configuration;
        this.slots = slots;
        this.started = started;
    }

    /**
     * {@code flinkConfig} with what the embedded cluster of TaskManagers with {@code slots} slots for a
     * job of {@code parallelism} sets where it is silent: the {@link #networkMemory network buffers}
     * unless it sets any of them; no delay of slot requests; no delegation tokens (a local cluster has no
     * Kerberos to get them from; looking for Hadoop's costs 60 ms).
     */
    static Configuration withDefaults(Configuration flinkConfig, int slots, int parallelism) {
        if (!flinkConfig.contains(TaskManagerOptions.NETWORK_MEMORY_MIN)
                && !flinkConfig.contains(TaskManagerOptions.NETWORK_MEMORY_MAX)
                && !flinkConfig.contains(TaskManagerOptions.MEMORY_SEGMENT_SIZE)) {
            MemorySize network = networkMemory(slots, parallelism);
            flinkConfig.set(TaskManagerOptions.NETWORK_MEMORY_MIN, network);
            flinkConfig.set(TaskManagerOptions.NETWORK_MEMORY_MAX, network);
            flinkConfig.set(TaskManagerOptions.MEMORY_SEGMENT_SIZE, NETWORK_BUFFER);
        }
        setUnlessSet(flinkConfig, JobManagerOptions.SLOT_REQUEST_MAX_INTERVAL, NO_SLOT_REQUEST_DELAY);
        setUnlessSet(flinkConfig, ResourceManagerOptions.REQUIREMENTS_CHECK_DELAY, NO_SLOT_REQUEST_DELAY);
        setUnlessSet(flinkConfig, SecurityOptions.DELEGATION_TOKENS_ENABLED, false);
        return flinkConfig;
    }

    private static <T> void setUnlessSet(Configuration flinkConfig, ConfigOption<T> option, T value) {
        if (!flinkConfig.contains(option)) {
            flinkConfig.set(option, value);
        }
    }

    /**
     * Starts a cluster of {@link #withDefaults}({@code flinkConfig}) in a thread of its own and
     * returns at once; its failure to start (a REST port taken, say) comes with the job's submission.
     */
    public static EmbeddedCluster start(Configuration flinkConfig) {
        Configuration configuration = new Configuration(flinkConfig);
        int parallelism = configuration
                .getOptional(CoreOptions.DEFAULT_PARALLELISM)
                .orElse(Runtime.getRuntime().availableProcessors());
        configuration.set(CoreOptions.DEFAULT_PARALLELISM, parallelism);
        setUnlessSet(configuration, RestOptions.BIND_PORT, "0");
        int taskManagers = configuration.get(TaskManagerOptions.MINI_CLUSTER_NUM_TASK_MANAGERS);
        int slotsPerTaskManager = configuration
                .getOptional(TaskManagerOptions.NUM_TASK_SLOTS)
                .orElse((parallelism + taskManagers - 1) / taskManagers);
        withDefaults(configuration, slotsPerTaskManager, parallelism);
        MiniClusterConfiguration clusterConfig = new MiniClusterConfiguration.Builder()
                .setConfiguration(configuration)
                .setNumTaskManagers(taskManagers)
                .setNumSlotsPerTaskManager(slotsPerTaskManager)
                .setRpcServiceSharing(RpcServiceSharing.SHARED)
                .build();
        CompletableFuture<MiniCluster> started = new CompletableFuture<>();
        Thread starter = new Thread(
                () -> {
                    MiniCluster cluster = new MiniCluster(
                            clusterConfig, () -> Reference.owned(new OneActorSystem(RpcSystem.load(configuration))));
                    try {
                        cluster.start();
                        started.complete(cluster);
                    } catch (Throwable e) {
                        cluster.closeAsync();
                        started.completeExceptionally(e);
                    }
                },
                "embedded-cluster-start");
        starter.setDaemon(true);
        starter.start();
        return new EmbeddedCluster(configuration, taskManagers * slotsPerTaskManager, started);
    }

    /** An environment whose jobs run on this cluster, at {@code parallelism.default} (or the cores). */
    public StreamExecutionEnvironment environment() {
        Configuration environmentConfig = new Configuration(configuration);
        environmentConfig.set(DeploymentOptions.TARGET, EXECUTOR_NAME);
        environmentConfig.set(DeploymentOptions.ATTACHED, true);
        return new StreamExecutionEnvironment(new Executors(), environmentConfig, null);
    }

    /** The cluster once it has started; the cause of its failure to start if it could not. */
    MiniCluster cluster() throws Exception {
        try {
            return started.get();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Submits a job's graph; the client's result comes when it ends, and the cluster then shuts down. */
    private CompletableFuture<JobClient> submit(Pipeline pipeline, Configuration jobConfig, ClassLoader classLoader)
            throws Exception {
        StreamGraph graph = PipelineExecutorUtils.getStreamGraph(pipeline, jobConfig);
        if (graph.getMaximumParallelism() > slots) {
            throw new FlinkException("the embedded cluster has " + slots + " slot(s), the job asks for "
                    + graph.getMaximumParallelism() + " (set parallelism.default)");
        }
        graph.serializeUserDefinedInstances();
        MiniCluster cluster = cluster();
        return cluster.submitJob(graph)
                .thenApplyAsync(submitted -> {
                    try {
                        ClientUtils.waitUntilJobInitializationFinished(
                                () -> cluster.getJobStatus(submitted.getJobID()).get(),
                                () -> cluster.requestJobResult(submitted.getJobID())
                                        .get(),
                                classLoader);
                    } catch (Exception e) {
                        throw new CompletionException(e);
                    }
                    return (JobClient) new MiniClusterJobClient(
                            submitted.getJobID(),
                            cluster,
                            classLoader,
                            MiniClusterJobClient.JobFinalizationBehavior.SHUTDOWN_CLUSTER);
                })
                .whenComplete((client, failure) -> {
                    if (failure != null) {
                        cluster.closeAsync();
                    }
                });
    }

    /**
     * Shuts the cluster down (after it has started) unless its job has done so already; for a run
     * that ends before its job was submitted.
     */
    @Override
    public void close() throws Exception {
        started.thenCompose(MiniCluster::closeAsync).exceptionally(e -> null).get();
    }

    /** The one executor of {@link #environment()}: submit to this cluster. */
    private final class Executors implements PipelineExecutorServiceLoader, PipelineExecutorFactory {

        @Override
        public PipelineExecutorFactory getExecutorFactory(Configuration jobConfig) {
            return this;
        }

        @Override
        public Stream<String> getExecutorNames() {
            return Stream.of(EXECUTOR_NAME);
        }

        @Override
        public String getName() {
            return EXECUTOR_NAME;
        }

        @Override
        public boolean isCompatibleWith(Configuration jobConfig) {
            return EXECUTOR_NAME.equals(jobConfig.get(DeploymentOptions.TARGET));
        }

        @Override
        public PipelineExecutor getExecutor(Configuration jobConfig) {
            return EmbeddedCluster.this::submit;
        }
    }
}
