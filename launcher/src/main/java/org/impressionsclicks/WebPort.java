package org.impressionsclicks;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import org.impressionsclicks.config.ConfigException;

/**
 * The port of the embedded cluster's web UI and REST API, on 127.0.0.1. A watching run keeps its
 * configured port (8081 by default), so that its web UI is where the operator expects it, and says so
 * in one line when that port is taken; a backfill needs no fixed port and takes a free one, so that it
 * can run next to a watching job.
 */
final class WebPort {

    private WebPort() {}

    /**
     * @param port the configured port; 0 means any free port
     * @param fixed whether the run must use {@code port} (watching, or set explicitly)
     * @throws ConfigException when a fixed port is taken
     */
    static int choose(int port, boolean fixed) {
        if (!fixed || port == 0) {
            return free();
        }
        try (ServerSocket probe = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return port;
        } catch (IOException e) {
            throw new ConfigException(taken(port));
        }
    }

    static String taken(int port) {
        return "the web UI port " + port + " is taken (is another job watching?); pass --web-port with a free port, "
                + "or --web-port 0 for any free one";
    }

    private static int free() {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        } catch (IOException e) {
            throw new ConfigException("no free port for the web UI on 127.0.0.1: " + e.getMessage());
        }
    }
}
