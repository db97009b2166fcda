# The job baked into the Flink image it runs on, for application mode (docker-compose.yml, deploy/kubernetes/):
#   mvn -B -DskipTests package
#   docker build -t impressions-clicks:0.1.0-SNAPSHOT .
# FLINK_VERSION is the parent pom's flink.version and JOB_JAR the shaded jar Maven builds (DeploymentFilesTest
# checks both). The image keeps Flink's entrypoint: ENABLE_BUILT_IN_PLUGINS, FLINK_PROPERTIES work as usual.
ARG FLINK_VERSION=2.0.0
FROM flink:${FLINK_VERSION}-java17

ARG JOB_JAR=flink-job/target/impressions-clicks-job.jar
COPY --chown=flink:flink ${JOB_JAR} /opt/flink/usrlib/impressions-clicks-job.jar

# The Prometheus reporter of conf/config.yaml. The image ships it in plugins/metrics-prometheus/; these keys
# switch it on in the image's own config.yaml (the Kubernetes operator writes its own config.yaml instead,
# from flinkConfiguration, where the same keys are set).
RUN /bin/bash "$FLINK_HOME/bin/config-parser-utils.sh" "$FLINK_HOME/conf" "$FLINK_HOME/bin" "$FLINK_HOME/lib" \
      "-Dmetrics.reporter.prom.factory.class=org.apache.flink.metrics.prometheus.PrometheusReporterFactory" \
      "-Dmetrics.reporter.prom.port=9249-9260"
EXPOSE 9249
