package org.impressionsclicks.source;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import org.apache.parquet.io.api.Binary;

/**
 * Exact, case-sensitive user-agent match: the UTF-8 bytes must be equal; a null value never
 * matches. Comparing the raw column bytes avoids decoding a String per row.
 */
public final class UserAgentMatcher implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String userAgent;
    private final byte[] utf8;

    public UserAgentMatcher(String userAgent) {
        this.userAgent = Objects.requireNonNull(userAgent, "userAgent");
        this.utf8 = userAgent.getBytes(StandardCharsets.UTF_8);
    }

    public boolean matches(String value) {
        return userAgent.equals(value);
    }

    /** Matches a Parquet BINARY value; {@code null} (the optional column absent) never matches. */
    public boolean matches(Binary value) {
        if (value == null || value.length() != utf8.length) {
            return false;
        }
        return Arrays.equals(utf8, value.getBytesUnsafe());
    }

    public String userAgent() {
        return userAgent;
    }
}
