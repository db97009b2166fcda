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

    /**
     * The slot of the user agent whose UTF-8 bytes are {@code bytes[from, from + length)}, or -1 when
     * it isn't one to count. There is one slot today; counting several user agents in one read
     * means more slots here, and nothing else in the reader changes.
     */
    int slotOf(byte[] bytes, int from, int length) {
        return length == utf8.length && Arrays.equals(utf8, 0, utf8.length, bytes, from, from + length) ? 0 : -1;
    }

    /** How many slots {@link #slotOf} hands out. */
    int slots() {
        return 1;
    }

    /**
     * Whether a user agent to count may lie within {@code [min, max]} in unsigned byte order (the
     * order of a UTF-8 string column's statistics), the bounds given as ranges of {@code bytes}.
     */
    boolean mayBeWithin(byte[] bytes, int minFrom, int minLength, int maxFrom, int maxLength) {
        return Arrays.compareUnsigned(utf8, 0, utf8.length, bytes, minFrom, minFrom + minLength) >= 0
                && Arrays.compareUnsigned(utf8, 0, utf8.length, bytes, maxFrom, maxFrom + maxLength) <= 0;
    }

    public String userAgent() {
        return userAgent;
    }
}
