package org.impressionsclicks.testing;

/**
 * Facts of the Maven build that files outside it (Dockerfile, compose, Kubernetes manifests) must agree
 * with, as Maven resolved them: surefire and failsafe pass them as system properties (flink-job/pom.xml).
 */
public final class Build {

    private Build() {}

    /** The parent pom's {@code flink.version}, e.g. {@code 2.0.0}. */
    public static String flinkVersion() {
        return property("flink.version");
    }

    /** The project's version, e.g. {@code 0.1.0-SNAPSHOT}. */
    public static String projectVersion() {
        return property("project.version");
    }

    /** The shaded job jar's file name in {@code flink-job/target/}. */
    public static String jobJar() {
        return property("job.jar");
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null || value.isBlank() || value.contains("${")) {
            throw new IllegalStateException(
                    "system property " + name + " is not set: run the tests with Maven (flink-job/pom.xml sets it)");
        }
        return value;
    }
}
