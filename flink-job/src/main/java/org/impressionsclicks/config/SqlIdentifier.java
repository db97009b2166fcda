package org.impressionsclicks.config;

import java.util.regex.Pattern;

/** Table names go into SQL text, so only plain lower-case identifiers (optionally schema-qualified) pass. */
public final class SqlIdentifier {

    private static final Pattern PLAIN = Pattern.compile("[a-z_][a-z0-9_]{0,62}(\\.[a-z_][a-z0-9_]{0,62})?");

    private SqlIdentifier() {}

    /** @return {@code name}, when it is a plain lower-case SQL identifier */
    public static String check(String name) {
        if (name == null || !PLAIN.matcher(name).matches()) {
            throw new IllegalArgumentException("not a plain lower-case SQL identifier: '" + name + "'");
        }
        return name;
    }
}
