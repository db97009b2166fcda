package org.impressionsclicks.testing;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/** Captures every log event of this JVM (all levels, stack traces included) while open. */
public final class CapturedLogs extends AbstractAppender implements AutoCloseable {

    private final List<String> lines = new CopyOnWriteArrayList<>();
    private final Level previousLevel;

    private CapturedLogs() {
        super("captured-" + System.nanoTime(), null, null, true, Property.EMPTY_ARRAY);
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        LoggerConfig root = context.getConfiguration().getRootLogger();
        previousLevel = root.getLevel();
    }

    public static CapturedLogs capture() {
        CapturedLogs logs = new CapturedLogs();
        logs.attach();
        return logs;
    }

    private void attach() {
        super.start();
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().addAppender(this, Level.ALL, null);
        config.getRootLogger().setLevel(Level.ALL);
        config.getLoggers().values().forEach(l -> l.setLevel(Level.ALL));
        context.updateLoggers();
    }

    @Override
    public void append(LogEvent event) {
        StringBuilder line = new StringBuilder(event.getLoggerName())
                .append(' ')
                .append(event.getMessage().getFormattedMessage());
        for (Throwable t = event.getThrown(); t != null; t = t.getCause()) {
            line.append(" | ").append(t);
        }
        lines.add(line.toString());
    }

    public List<String> lines() {
        return lines;
    }

    @Override
    public void close() {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        Configuration config = context.getConfiguration();
        config.getRootLogger().removeAppender(getName());
        config.getRootLogger().setLevel(previousLevel);
        context.reconfigure();
        stop();
    }
}
