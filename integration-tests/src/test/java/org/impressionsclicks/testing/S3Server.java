package org.impressionsclicks.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.core.fs.FileStatus;
import org.apache.flink.core.fs.FileSystem;
import org.apache.flink.core.plugin.DefaultPluginManager;
import org.apache.flink.core.plugin.DirectoryBasedPluginFinder;
import org.apache.flink.core.plugin.PluginManager;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * An S3-compatible server on 127.0.0.1 for a test class: S3Proxy with its in-memory blob store,
 * started from its own jar in a JVM of its own (its Jetty, Guava and Jackson never meet Flink's),
 * with buckets made before the tests. Flink's file systems are initialised with Flink's S3 file
 * system loaded as a plugin from {@code target/plugins/} (as a cluster loads {@code plugins/}) and
 * configured with Flink's standard keys for this server; after the class they are reset.
 *
 * <p>Register it before the MiniCluster, so that the cluster stops before the server does.
 */
public final class S3Server implements BeforeAllCallback, AfterAllCallback {

    /** Credentials of the local test server only; nothing else accepts them. */
    public static final String ACCESS_KEY = "local-test-access-key";

    public static final String SECRET_KEY = "local-test-secret-key";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final List<String> buckets;
    private final int port;
    private Process process;
    private Path dir;

    public S3Server(String... buckets) {
        this.buckets = List.of(buckets);
        this.port = freePort();
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    /** Flink's keys of its S3 file system for this server (the cluster and the file systems get the same). */
    public Configuration flinkConfig() {
        Configuration c = new Configuration();
        c.setString("s3.endpoint", endpoint());
        c.setString("s3.path.style.access", "true");
        c.setString("s3.access-key", ACCESS_KEY);
        c.setString("s3.secret-key", SECRET_KEY);
        return c;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        dir = Files.createTempDirectory("s3proxy");
        Path properties = dir.resolve("s3proxy.properties");
        Files.writeString(
                properties,
                String.join(
                        "\n",
                        "s3proxy.endpoint=" + endpoint(),
                        "s3proxy.authorization=aws-v2-or-v4",
                        "s3proxy.identity=" + ACCESS_KEY,
                        "s3proxy.credential=" + SECRET_KEY,
                        "jclouds.provider=transient",
                        "jclouds.identity=unused",
                        "jclouds.credential=unused",
                        ""));
        Path jar = Path.of(System.getProperty("s3proxy.jar", "target/s3proxy/s3proxy.jar"));
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("no S3Proxy jar at " + jar.toAbsolutePath()
                    + " (the build copies it there in generate-test-resources: run the tests through Maven)");
        }
        Path log = dir.resolve("s3proxy.log");
        process = new ProcessBuilder(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx256m",
                        "-DLOG_LEVEL=warn",
                        "-jar",
                        jar.toString(),
                        "--properties",
                        properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        HttpClient http = HttpClient.newHttpClient();
        try {
            Await.until(START_TIMEOUT, "S3Proxy on " + endpoint() + " (log " + log + ")", () -> {
                if (!process.isAlive()) {
                    throw new IllegalStateException(
                            "S3Proxy exited with " + process.exitValue() + ": " + Files.readString(log));
                }
                try {
                    http.send(
                            HttpRequest.newBuilder(URI.create(endpoint() + "/"))
                                    .GET()
                                    .build(),
                            HttpResponse.BodyHandlers.discarding());
                    return true;
                } catch (IOException notYet) {
                    return false;
                }
            });
            for (String bucket : buckets) {
                createBucket(http, bucket);
            }
        } catch (Exception | AssertionError e) {
            process.destroyForcibly();
            throw e;
        }
        FileSystem.initialize(flinkConfig(), plugins());
    }

    @Override
    public void afterAll(ExtensionContext context) throws Exception {
        FileSystem.initialize(new Configuration(), null);
        if (process != null) {
            process.destroy();
            if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }

    /** Flink's plugins of {@code target/plugins/} (the S3 file system), as a cluster loads its {@code plugins/}. */
    static PluginManager plugins() throws IOException {
        Path root = Path.of(System.getProperty("plugins.dir", "target/plugins"));
        if (!Files.isDirectory(root.resolve("s3-fs-hadoop"))) {
            throw new IllegalStateException("no Flink S3 plugin under " + root.toAbsolutePath()
                    + " (the build copies it there in generate-test-resources: run the tests through Maven)");
        }
        return new DefaultPluginManager(
                new DirectoryBasedPluginFinder(root).findPlugins(),
                CoreOptions.PLUGIN_ALWAYS_PARENT_FIRST_LOADER_PATTERNS
                        .defaultValue()
                        .toArray(new String[0]));
    }

    /** PUT Bucket, signed with AWS signature version 2 (S3Proxy accepts v2 and v4). */
    private void createBucket(HttpClient http, String bucket) throws Exception {
        String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC));
        Mac mac = Mac.getInstance("HmacSHA1");
        mac.init(new SecretKeySpec(SECRET_KEY.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
        String signature = Base64.getEncoder()
                .encodeToString(mac.doFinal(("PUT\n\n\n" + date + "\n/" + bucket).getBytes(StandardCharsets.UTF_8)));
        HttpResponse<String> response = http.send(
                HttpRequest.newBuilder(URI.create(endpoint() + "/" + bucket))
                        .header("Date", date)
                        .header("Authorization", "AWS " + ACCESS_KEY + ":" + signature)
                        .PUT(HttpRequest.BodyPublishers.noBody())
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new IllegalStateException(
                    "cannot create bucket " + bucket + ": HTTP " + response.statusCode() + " " + response.body());
        }
    }

    /** Uploads a local file as one object at {@code target} (as upstream drops a file: whole, at once). */
    public static void put(Path file, org.apache.flink.core.fs.Path target) throws IOException {
        FileSystem fs = target.getFileSystem();
        try (InputStream in = Files.newInputStream(file);
                OutputStream out = fs.create(target, FileSystem.WriteMode.NO_OVERWRITE)) {
            in.transferTo(out);
        }
    }

    /** The names of the objects directly under {@code prefix}, sorted; none when it has none. */
    public static List<String> names(org.apache.flink.core.fs.Path prefix) throws IOException {
        FileSystem fs = prefix.getFileSystem();
        List<String> names = new ArrayList<>();
        if (!fs.exists(prefix)) {
            return names;
        }
        for (FileStatus status : fs.listStatus(prefix)) {
            if (!status.isDir()) {
                names.add(status.getPath().getName());
            }
        }
        names.sort(String::compareTo);
        return names;
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free port", e);
        }
    }

    @Override
    public String toString() {
        return "S3Proxy at " + endpoint().toLowerCase(Locale.ROOT);
    }
}
