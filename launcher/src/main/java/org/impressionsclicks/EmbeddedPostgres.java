package org.impressionsclicks;

import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.impressionsclicks.postgres.LocalPostgres;

/**
 * The launcher's embedded PostgreSQL, started in the background: the server and its database take the
 * better part of a second ({@code pg_ctl start}, the JDBC driver's first connection), mostly waiting
 * for other processes, while the launcher prepares the cluster (file systems, the listing of a
 * backfill, the environment) meanwhile.
 */
final class EmbeddedPostgres implements AutoCloseable {

    private final CompletableFuture<LocalPostgres> server = new CompletableFuture<>();

    private EmbeddedPostgres() {}

    /** Starts a server on {@code dataDir} (stopped at the latest when the JVM exits) with {@code database}. */
    static EmbeddedPostgres start(Path dataDir, String database) {
        EmbeddedPostgres embedded = new EmbeddedPostgres();
        Thread starter = new Thread(
                () -> {
                    LocalPostgres started = null;
                    try {
                        started = LocalPostgres.start(dataDir, 0).stopOnShutdown();
                        started.ensureDatabase(database);
                        embedded.server.complete(started);
                    } catch (RuntimeException | Error e) {
                        embedded.server.completeExceptionally(e);
                        if (started != null) {
                            started.close();
                        }
                    }
                },
                "start-embedded-postgres");
        starter.setDaemon(true);
        starter.start();
        return embedded;
    }

    /**
     * Waits until the server is up.
     *
     * @throws RuntimeException what the start threw ({@link org.impressionsclicks.postgres.LocalPostgresException} for a
     *     step that failed)
     */
    LocalPostgres await() {
        try {
            return server.join();
        } catch (CompletionException e) {
            throw e.getCause() instanceof RuntimeException cause ? cause : e;
        }
    }

    /** Stops the server, after a start still in progress; a start that failed left nothing running. */
    @Override
    public void close() {
        LocalPostgres started;
        try {
            started = server.join();
        } catch (CompletionException e) {
            return;
        }
        started.close();
    }
}
