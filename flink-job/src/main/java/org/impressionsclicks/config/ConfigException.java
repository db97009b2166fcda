package org.impressionsclicks.config;

/** A bad option or config value; the message is the one line shown to the user (exit code 2). */
public class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public ConfigException(String message) {
        super(message);
    }
}
