package org.impressionsclicks.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.impressionsclicks.postgres.LocalPostgres;
import org.impressionsclicks.postgres.LocalPostgresException;
import org.junit.jupiter.api.extension.ExtensionContext.Store.CloseableResource;
import org.postgresql.PGConnection;

/** The PostgreSQL server all test classes of one JVM create their databases on. */
final class SharedPostgres implements CloseableResource {

    private static final String URL_VARIABLE = "IC_TEST_JDBC_URL";
    private static final String USER_VARIABLE = "IC_TEST_JDBC_USER";
    private static final PostgresDatabase SYSTEM_SERVER =
            new PostgresDatabase("jdbc:postgresql://127.0.0.1:5432/test", LocalPostgres.USER, null);
    private static final Pattern URL = Pattern.compile("(jdbc:postgresql://[^/?]+/)([^?]*)(.*)");

    private final PostgresDatabase admin;
    private final Runnable shutdown;

    private SharedPostgres(PostgresDatabase admin, Runnable shutdown) {
        this.admin = admin;
        this.shutdown = shutdown;
    }

    /**
     * The first of: the server at {@code $IC_TEST_JDBC_URL} as {@code $IC_TEST_JDBC_USER} (default
     * {@code postgres}); database {@code test} on 127.0.0.1:5432 as {@code postgres}; a private
     * {@link LocalPostgres} on a free port in a temporary directory, removed when the tests end.
     *
     * @throws IllegalStateException if none is usable
     */
    static SharedPostgres locate() {
        String url = System.getenv(URL_VARIABLE);
        if (url != null) {
            PostgresDatabase configured = new PostgresDatabase(
                    url, Objects.requireNonNullElse(System.getenv(USER_VARIABLE), LocalPostgres.USER), null);
            return new SharedPostgres(configured, () -> {});
        }
        try (Connection probe = SYSTEM_SERVER.connection()) {
            return new SharedPostgres(SYSTEM_SERVER, () -> {});
        } catch (SQLException systemServerDown) {
            try {
                return startPrivateServer();
            } catch (LocalPostgresException | IOException noPrivateServer) {
                throw new IllegalStateException(
                        "No PostgreSQL for tests: " + URL_VARIABLE + " is not set, "
                                + SYSTEM_SERVER.jdbcUrl() + " refused (" + systemServerDown.getMessage()
                                + ") and no private server started (" + noPrivateServer.getMessage() + ")",
                        noPrivateServer);
            }
        }
    }

    /** Drops {@code name} if it exists, creates it anew and returns it. */
    PostgresDatabase freshDatabase(String name) {
        Matcher url = URL.matcher(admin.jdbcUrl());
        if (!url.matches()) {
            throw new IllegalStateException(URL_VARIABLE + " must look like jdbc:postgresql://HOST[:PORT]/DATABASE"
                    + "[?PARAMETERS], not " + admin.jdbcUrl());
        }
        try (Connection connection = admin.connection();
                Statement statement = connection.createStatement()) {
            String identifier = connection.unwrap(PGConnection.class).escapeIdentifier(name);
            statement.execute("DROP DATABASE IF EXISTS " + identifier);
            statement.execute("CREATE DATABASE " + identifier);
        } catch (SQLException e) {
            throw new IllegalStateException(
                    "Cannot recreate test database " + name + " as " + admin.user() + " on " + admin.jdbcUrl() + ": "
                            + e.getMessage(),
                    e);
        }
        return new PostgresDatabase(url.group(1) + name + url.group(3), admin.user(), admin.password());
    }

    @Override
    public void close() {
        shutdown.run();
    }

    private static SharedPostgres startPrivateServer() throws IOException {
        // readable by all, so that the unprivileged server user can reach its data directory when we are root
        Path base = Files.createTempDirectory(
                "ic-test-postgres", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
        LocalPostgres server;
        try {
            server = LocalPostgres.start(base.resolve("data"), 0).stopOnShutdown();
        } catch (LocalPostgresException e) {
            deleteRecursively(base);
            throw e;
        }
        SharedPostgres shared =
                new SharedPostgres(new PostgresDatabase(server.jdbcUrl("test"), LocalPostgres.USER, null), () -> {
                    server.stop();
                    deleteRecursively(base);
                });
        try {
            server.ensureDatabase("test");
        } catch (LocalPostgresException e) {
            shared.close();
            throw e;
        }
        return shared;
    }

    private static void deleteRecursively(Path directory) {
        try (Stream<Path> paths = Files.walk(directory)) {
            for (Path path : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(path);
            }
        } catch (IOException e) {
            throw new IllegalStateException("Cannot delete " + directory + ": " + e, e);
        }
    }
}
