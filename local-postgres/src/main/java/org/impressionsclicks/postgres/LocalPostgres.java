package org.impressionsclicks.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.File;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.postgresql.PGConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A private PostgreSQL server run from the installed distribution binaries ({@code initdb}, {@code pg_ctl}).
 *
 * <p>{@link #start} initialises the data directory on first use (trust authentication, superuser
 * {@value #USER}, UTF8, locale C) and reuses it afterwards, so a persistent directory keeps its data
 * across runs. The server listens only on 127.0.0.1, puts its unix socket in a directory next to the data
 * directory and logs to {@code server.log} inside it. PostgreSQL refuses to run as root, so when this JVM
 * runs as root the directories are handed to the {@code postgres} OS user (else {@code nobody}) and
 * every server command runs as that user through {@code runuser}.
 */
public final class LocalPostgres implements AutoCloseable {

    /** The superuser created by initdb; it authenticates without a password. */
    public static final String USER = "postgres";

    private static final Logger LOG = LoggerFactory.getLogger(LocalPostgres.class);
    private static final Path DISTRIBUTIONS = Path.of("/usr/lib/postgresql");
    private static final String HOST = "127.0.0.1";
    private static final String LOG_FILE = "server.log";
    private static final int TAIL_LINES = 5;

    private final Path binDir;
    private final Path dataDir;
    private final Path socketDir;
    private final int port;
    private final Optional<String> serviceUser;
    private boolean running;

    private LocalPostgres(Path binDir, Path dataDir, int port, Optional<String> serviceUser) {
        this.binDir = binDir;
        this.dataDir = dataDir;
        this.socketDir = dataDir.resolveSibling(dataDir.getFileName() + "-socket");
        this.port = port;
        this.serviceUser = serviceUser;
    }

    /** Set to {@value #EMBEDDED} to use the binaries from Maven Central even where PostgreSQL is installed. */
    public static final String BINARIES_ENV = "IC_POSTGRES_BINARIES";

    public static final String EMBEDDED = "embedded";

    /**
     * The directory holding {@code initdb} and {@code pg_ctl}: {@code $PG_BINDIR}, else the newest
     * {@code /usr/lib/postgresql/VERSION/bin}, else the first {@code PATH} entry holding both, else the
     * binaries from Maven Central when they are on the classpath (tests and the local launcher). With
     * {@code IC_POSTGRES_BINARIES=embedded}, only the latter.
     */
    public static Optional<Path> findBinaries() {
        if (EMBEDDED.equals(System.getenv(BINARIES_ENV))) {
            return BundledPostgres.binaries();
        }
        return configuredBinaries()
                .or(LocalPostgres::newestDistribution)
                .or(() -> Stream.of(System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
                        .filter(entry -> !entry.isEmpty())
                        .map(Path::of)
                        .filter(LocalPostgres::hasServerBinaries)
                        .findFirst())
                .or(BundledPostgres::binaries);
    }

    /**
     * Starts a server on {@code dataDir}, initialising it first if needed.
     *
     * @param port the TCP port on 127.0.0.1, or 0 for a free one
     * @throws LocalPostgresException if there are no binaries or a step fails
     */
    public static LocalPostgres start(Path dataDir, int port) {
        return start(
                findBinaries()
                        .orElseThrow(
                                () -> new LocalPostgresException(
                                        "no PostgreSQL server binaries (initdb, pg_ctl) found: install PostgreSQL or set PG_BINDIR")),
                dataDir,
                port);
    }

    /** Starts a server from the binaries in {@code binDir}; see {@link #start(Path, int)}. */
    public static LocalPostgres start(Path binDir, Path dataDir, int port) {
        long started = System.nanoTime();
        LocalPostgres server = new LocalPostgres(
                binDir, dataDir.toAbsolutePath().normalize(), port == 0 ? freePort() : port, serviceUser());
        server.prepareDirectories();
        if (!Files.exists(server.dataDir.resolve("PG_VERSION"))) {
            server.initdb();
        }
        server.pgCtlStart();
        LOG.info(
                "PostgreSQL started at {} from {} in {} ms",
                server.jdbcUrl(""),
                server.dataDir,
                (System.nanoTime() - started) / 1_000_000);
        return server;
    }

    /** The JDBC url of {@code database} on this server; connect as {@link #USER} without a password. */
    public String jdbcUrl(String database) {
        return "jdbc:postgresql://" + HOST + ":" + port + "/" + database;
    }

    /** The TCP port the server listens on. */
    public int port() {
        return port;
    }

    /** Creates {@code name} unless it exists. */
    public void ensureDatabase(String name) {
        try (Connection connection = DriverManager.getConnection(jdbcUrl("postgres"), USER, null);
                PreparedStatement exists = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
            exists.setString(1, name);
            try (ResultSet row = exists.executeQuery()) {
                if (row.next()) {
                    return;
                }
            }
            try (Statement create = connection.createStatement()) {
                create.execute("CREATE DATABASE "
                        + connection.unwrap(PGConnection.class).escapeIdentifier(name));
            }
        } catch (SQLException e) {
            throw new LocalPostgresException(
                    "cannot create database " + name + " at " + jdbcUrl("") + ": " + e.getMessage(), e);
        }
    }

    /** Registers a JVM shutdown hook that stops the server unless it was stopped before; returns this. */
    public LocalPostgres stopOnShutdown() {
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                stop();
                            } catch (LocalPostgresException e) {
                                LOG.warn("{}", e.getMessage());
                            }
                        },
                        "stop-local-postgres-" + port));
        return this;
    }

    /** Stops the server ({@code pg_ctl stop -m fast}); does nothing if it is not running. */
    public synchronized void stop() {
        if (running) {
            check("stop", run(asServiceUser(pgCtl("stop", "-w", "-m", "fast"))));
            running = false;
            LOG.info("PostgreSQL at {} stopped", jdbcUrl(""));
        }
    }

    /** Same as {@link #stop()}. */
    @Override
    public void close() {
        stop();
    }

    /** Creates the data and socket directories; as root, gives them and the parents it created to the service user. */
    private void prepareDirectories() {
        Path topCreated = topmostMissing(dataDir);
        try {
            Files.createDirectories(dataDir);
            Files.createDirectories(socketDir);
        } catch (IOException e) {
            throw new LocalPostgresException("cannot create " + dataDir + " and " + socketDir + ": " + e, e);
        }
        serviceUser.ifPresent(user ->
                check("chown", run(List.of("chown", "-R", user + ":", topCreated.toString(), socketDir.toString()))));
    }

    /** {@code path} if it exists, else its highest missing ancestor. */
    private static Path topmostMissing(Path path) {
        Path top = path;
        while (Files.notExists(top) && top.getParent() != null && Files.notExists(top.getParent())) {
            top = top.getParent();
        }
        return top;
    }

    private void initdb() {
        LOG.info("Initialising PostgreSQL data directory {}", dataDir);
        check(
                "initdb",
                run(asServiceUser(List.of(
                        binDir.resolve("initdb").toString(),
                        "-D",
                        dataDir.toString(),
                        "-U",
                        USER,
                        "-A",
                        "trust",
                        "-E",
                        "UTF8",
                        "--locale=C"))));
    }

    private void pgCtlStart() {
        Path log = dataDir.resolve(LOG_FILE);
        long logOffset = log.toFile().length();
        String options = "-c listen_addresses=" + HOST + " -c port=" + port + " -c unix_socket_directories="
                + shellQuoted(socketDir.toString());
        Result result = run(asServiceUser(pgCtl("start", "-w", "-l", log.toString(), "-o", options)));
        check("start on " + HOST + ":" + port, result, () -> "; server log: " + logTail(log, logOffset));
        running = true;
    }

    private List<String> pgCtl(String... arguments) {
        List<String> command = new ArrayList<>(List.of(binDir.resolve("pg_ctl").toString(), "-D", dataDir.toString()));
        command.addAll(List.of(arguments));
        return command;
    }

    /** {@code command} prefixed to run as the service user, if any. */
    private List<String> asServiceUser(List<String> command) {
        List<String> full = new ArrayList<>();
        serviceUser.ifPresent(user -> full.addAll(List.of("runuser", "-u", user, "--")));
        full.addAll(command);
        return full;
    }

    private void check(String step, Result result) {
        check(step, result, () -> "");
    }

    private void check(String step, Result result, Supplier<String> detail) {
        if (result.exitCode() != 0) {
            throw new LocalPostgresException("PostgreSQL " + step + " failed for " + dataDir + " (exit "
                    + result.exitCode() + "): " + tail(result.output()) + detail.get());
        }
    }

    /** The last lines the server logged from byte {@code offset} on, without their time and pid prefix. */
    private static String logTail(Path log, long offset) {
        try {
            byte[] bytes = Files.readAllBytes(log);
            int from = (int) Math.min(offset, bytes.length);
            return tail(new String(bytes, from, bytes.length - from, UTF_8)
                    .replaceAll("(?m)^\\d{4}-\\d\\d-\\d\\d \\S+ \\S+ \\[\\d+\\] ", ""));
        } catch (IOException e) {
            return "unreadable (" + e.getMessage() + ")";
        }
    }

    private static String tail(String text) {
        List<String> lines =
                text.lines().map(String::strip).filter(line -> !line.isEmpty()).toList();
        return String.join(" | ", lines.subList(Math.max(0, lines.size() - TAIL_LINES), lines.size()));
    }

    private static Optional<Path> configuredBinaries() {
        Optional<Path> configured =
                Optional.ofNullable(System.getenv("PG_BINDIR")).map(Path::of);
        configured
                .filter(dir -> !hasServerBinaries(dir))
                .ifPresent(dir -> LOG.warn("PG_BINDIR={} holds no initdb and pg_ctl, ignoring it", dir));
        return configured.filter(LocalPostgres::hasServerBinaries);
    }

    private static Optional<Path> newestDistribution() {
        try (Stream<Path> versions = Files.list(DISTRIBUTIONS)) {
            return versions.map(version -> version.resolve("bin"))
                    .filter(LocalPostgres::hasServerBinaries)
                    .max(Comparator.comparing(LocalPostgres::version, Arrays::compare));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The version numbers of {@code /usr/lib/postgresql/VERSION/bin}, e.g. {15} or {9, 6}. */
    private static int[] version(Path binDir) {
        String name = binDir.getParent().getFileName().toString();
        return name.matches("\\d+(\\.\\d+)*")
                ? Arrays.stream(name.split("\\.")).mapToInt(Integer::parseInt).toArray()
                : new int[0];
    }

    private static boolean hasServerBinaries(Path dir) {
        return Files.isExecutable(dir.resolve("initdb")) && Files.isExecutable(dir.resolve("pg_ctl"));
    }

    /** The unprivileged user to run the server as when this JVM runs as root, else empty. */
    private static Optional<String> serviceUser() {
        if (!"root".equals(System.getProperty("user.name"))) {
            return Optional.empty();
        }
        return Optional.of(run(List.of("id", "-u", USER)).exitCode() == 0 ? USER : "nobody");
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new LocalPostgresException("cannot find a free port on " + HOST + ": " + e, e);
        }
    }

    /** Quotes {@code text} for sh, which pg_ctl runs the server through. */
    private static String shellQuoted(String text) {
        return "'" + text.replace("'", "'\\''") + "'";
    }

    private static Result run(List<String> command) {
        try {
            Process process = new ProcessBuilder(command)
                    .directory(new File("/"))
                    .redirectErrorStream(true)
                    .start();
            process.getOutputStream().close();
            String output = new String(process.getInputStream().readAllBytes(), UTF_8);
            return new Result(process.waitFor(), output);
        } catch (IOException e) {
            throw new LocalPostgresException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalPostgresException("interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Exit code and combined stdout/stderr of a finished command. */
    private record Result(int exitCode, String output) {}
}
