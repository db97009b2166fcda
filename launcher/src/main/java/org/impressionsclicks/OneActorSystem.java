package org.impressionsclicks;

import java.io.Serializable;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.AddressResolution;
import org.apache.flink.runtime.rpc.FencedRpcGateway;
import org.apache.flink.runtime.rpc.RpcEndpoint;
import org.apache.flink.runtime.rpc.RpcGateway;
import org.apache.flink.runtime.rpc.RpcServer;
import org.apache.flink.runtime.rpc.RpcService;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.util.concurrent.ScheduledExecutor;

/**
 * The embedded cluster's RPC system: Flink's, except that the metrics' query service runs on the
 * cluster's one local RPC service instead of an actor system of its own.
 *
 * <p>A MiniCluster whose components share one RPC service ({@code RpcServiceSharing.SHARED}) still
 * starts a second Pekko actor system, {@code flink-metrics}, on one low-priority thread, for the
 * service that the web UI's and the progress lines' metric queries reach. Starting and stopping it
 * was about 40 ms of every backfill on this project's machine (README "Fixed costs of a backfill"),
 * in a process whose metric queries all come from its own REST endpoint. Here the
 * query service is an endpoint of the cluster's RPC service, which the cluster stops last; closing
 * the metrics' view of it leaves it running for the others.
 */
final class OneActorSystem implements RpcSystem {

    /** The component name that Flink's {@code MetricUtils} gives the metrics' RPC service. */
    static final String METRICS_COMPONENT = "flink-metrics";

    private final RpcSystem flink;
    private volatile RpcService local;

    OneActorSystem(RpcSystem flink) {
        this.flink = flink;
    }

    @Override
    public RpcServiceBuilder localServiceBuilder(Configuration configuration) {
        RpcServiceBuilder builder = flink.localServiceBuilder(configuration);
        return new RpcServiceBuilder() {
            private boolean metrics;

            @Override
            public RpcServiceBuilder withComponentName(String name) {
                metrics = METRICS_COMPONENT.equals(name);
                builder.withComponentName(name);
                return this;
            }

            @Override
            public RpcServiceBuilder withBindAddress(String bindAddress) {
                builder.withBindAddress(bindAddress);
                return this;
            }

            @Override
            public RpcServiceBuilder withBindPort(int bindPort) {
                builder.withBindPort(bindPort);
                return this;
            }

            @Override
            public RpcServiceBuilder withExecutorConfiguration(FixedThreadPoolExecutorConfiguration configuration) {
                builder.withExecutorConfiguration(configuration);
                return this;
            }

            @Override
            public RpcServiceBuilder withExecutorConfiguration(ForkJoinExecutorConfiguration configuration) {
                builder.withExecutorConfiguration(configuration);
                return this;
            }

            @Override
            public RpcService createAndStart() throws Exception {
                RpcService shared = local;
                if (metrics && shared != null) {
                    return new Borrowed(shared);
                }
                RpcService started = builder.createAndStart();
                if (!metrics && shared == null) {
                    local = started;
                }
                return started;
            }
        };
    }

    @Override
    public RpcServiceBuilder remoteServiceBuilder(
            Configuration configuration, String externalAddress, String externalPortRange) {
        return flink.remoteServiceBuilder(configuration, externalAddress, externalPortRange);
    }

    @Override
    public String getRpcUrl(
            String hostname, int port, String endpointName, AddressResolution resolution, Configuration config)
            throws UnknownHostException {
        return flink.getRpcUrl(hostname, port, endpointName, resolution, config);
    }

    @Override
    public InetSocketAddress getInetSocketAddressFromRpcUrl(String url) throws Exception {
        return flink.getInetSocketAddressFromRpcUrl(url);
    }

    @Override
    public long getMaximumMessageSizeInBytes(Configuration config) {
        return flink.getMaximumMessageSizeInBytes(config);
    }

    @Override
    public void close() {
        flink.close();
    }

    /** Another's RPC service, which closing this view leaves running. */
    private record Borrowed(RpcService owner) implements RpcService {

        @Override
        public String getAddress() {
            return owner.getAddress();
        }

        @Override
        public int getPort() {
            return owner.getPort();
        }

        @Override
        public <C extends RpcGateway> C getSelfGateway(Class<C> selfGatewayType, RpcServer rpcServer) {
            return owner.getSelfGateway(selfGatewayType, rpcServer);
        }

        @Override
        public <C extends RpcGateway> CompletableFuture<C> connect(String address, Class<C> clazz) {
            return owner.connect(address, clazz);
        }

        @Override
        public <F extends Serializable, C extends FencedRpcGateway<F>> CompletableFuture<C> connect(
                String address, F fencingToken, Class<C> clazz) {
            return owner.connect(address, fencingToken, clazz);
        }

        @Override
        public <C extends RpcEndpoint & RpcGateway> RpcServer startServer(
                C rpcEndpoint, Map<String, String> loggingContext) {
            return owner.startServer(rpcEndpoint, loggingContext);
        }

        @Override
        public void stopServer(RpcServer selfGateway) {
            owner.stopServer(selfGateway);
        }

        @Override
        public ScheduledExecutor getScheduledExecutor() {
            return owner.getScheduledExecutor();
        }

        @Override
        public CompletableFuture<Void> closeAsync() {
            return CompletableFuture.completedFuture(null);
        }
    }
}
