package org.impressionsclicks.generate;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

/**
 * A reusable, growable in-memory file. Unlike {@link java.io.ByteArrayOutputStream} its writes are
 * not synchronized: Thrift serializes a ~78 KB footer in tens of thousands of writes of a byte or
 * a varint, and taking a lock for each of them was a third of the time spent per generated file.
 * Not thread-safe.
 */
final class FileBuffer extends OutputStream {

    private byte[] bytes;
    private int size;

    FileBuffer(int capacity) {
        bytes = new byte[capacity];
    }

    @Override
    public void write(int b) {
        ensureCapacity(1);
        bytes[size++] = (byte) b;
    }

    @Override
    public void write(byte[] b, int off, int len) {
        ensureCapacity(len);
        System.arraycopy(b, off, bytes, size, len);
        size += len;
    }

    /** The bytes written so far. */
    int size() {
        return size;
    }

    /** A copy of the bytes written so far. */
    byte[] toByteArray() {
        return Arrays.copyOf(bytes, size);
    }

    /** Empties the buffer, keeping its capacity for the next file. */
    void reset() {
        size = 0;
    }

    /** Writes the bytes written so far to {@code out} in one call. */
    void writeTo(OutputStream out) throws IOException {
        out.write(bytes, 0, size);
    }

    private void ensureCapacity(int more) {
        if (size + more > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(size + more, 2 * bytes.length));
        }
    }
}
