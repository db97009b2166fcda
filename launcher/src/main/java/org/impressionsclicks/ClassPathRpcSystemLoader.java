package org.impressionsclicks;

import java.util.ServiceLoader;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.runtime.rpc.RpcSystem;
import org.apache.flink.runtime.rpc.RpcSystemLoader;
import org.apache.flink.runtime.rpc.exceptions.RpcLoaderException;

/**
 * Gives an embedded cluster (the launcher's, the benchmark's, the tests') Flink's Pekko RPC system
 * from the application class path, where the build puts {@code flink-rpc-akka}.
 *
 * <p>Flink's own loader ({@code PekkoRpcSystemLoader}, priority 0) unpacks that 21 MB jar from
 * {@code flink-rpc-akka-loader} into a temporary folder at every start and loads its 9 000 classes
 * (Pekko, Scala, Typesafe Config) through a class loader of its own, which keeps them out of the
 * launcher's class-data archive: about half a second of every start on this project's machine (README
 * "Fixed costs of a backfill"). Flink isolates them to keep its Scala away from user code; the
 * launcher's class path holds no other Scala. This loader comes first (priority -1); where the class
 * path has no RPC system (a cluster's processes never load this class) it fails, and {@code
 * RpcSystem.load} goes on to Flink's.
 */
public final class ClassPathRpcSystemLoader implements RpcSystemLoader {

    @Override
    public int getLoadPriority() {
        return -1;
    }

    @Override
    public RpcSystem loadRpcSystem(Configuration config) {
        return ServiceLoader.load(RpcSystem.class, RpcSystem.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new RpcLoaderException("no RPC system (flink-rpc-akka) on the class path"));
    }
}
