package org.impressionsclicks.config;

import java.io.Serializable;
import java.time.Duration;
import javax.annotation.Nullable;

/** Where and how the hourly totals are upserted. {@link #toString()} never shows the password. */
public final class DatabaseSettings implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final String user;

    @Nullable
    private final String password;

    private final String table;
    private final String auditTable;
    private final int batchSize;
    private final Duration batchInterval;
    private final int maxRetries;

    public DatabaseSettings(
            String url,
            String user,
            @Nullable String password,
            String table,
            String auditTable,
            int batchSize,
            Duration batchInterval,
            int maxRetries) {
        this.url = url;
        this.user = user;
        this.password = password;
        this.table = table;
        this.auditTable = auditTable;
        this.batchSize = batchSize;
        this.batchInterval = batchInterval;
        this.maxRetries = maxRetries;
    }

    /** The same settings against another server (used when the launcher starts an embedded one). */
    public DatabaseSettings withUrl(String newUrl, String newUser) {
        return new DatabaseSettings(newUrl, newUser, password, table, auditTable, batchSize, batchInterval, maxRetries);
    }

    public String url() {
        return url;
    }

    /** The URL without its query part, which may carry credentials: for logs and messages. */
    public String safeUrl() {
        int query = url.indexOf('?');
        return query < 0 ? url : url.substring(0, query) + "?...";
    }

    public String user() {
        return user;
    }

    @Nullable
    public String password() {
        return password;
    }

    public String table() {
        return table;
    }

    public String auditTable() {
        return auditTable;
    }

    public int batchSize() {
        return batchSize;
    }

    public Duration batchInterval() {
        return batchInterval;
    }

    public int maxRetries() {
        return maxRetries;
    }

    @Override
    public String toString() {
        return safeUrl() + " as " + user + (password == null ? "" : " (password from " + JobOptions.PASSWORD_ENV + ")")
                + ", tables " + table + " and " + auditTable;
    }
}
