package org.impressionsclicks.generate;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.impressionsclicks.model.EventKind;

/**
 * The exact Parquet message types of upstream's files (parquet-mr 1.10, protobuf model, legacy
 * repeated fields), kept as resources derived from the footers of real sample files.
 */
public final class AdformSchemas {

    private static final MessageType IMPRESSIONS = load("impressions");
    private static final MessageType CLICKS = load("clicks");

    private AdformSchemas() {}

    public static MessageType impressions() {
        return IMPRESSIONS;
    }

    public static MessageType clicks() {
        return CLICKS;
    }

    public static MessageType forKind(EventKind kind) {
        return kind == EventKind.IMPRESSION ? IMPRESSIONS : CLICKS;
    }

    private static MessageType load(String name) {
        String resource = "/schema/" + name + ".schema";
        try (InputStream in = AdformSchemas.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            return MessageTypeParser.parseMessageType(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
