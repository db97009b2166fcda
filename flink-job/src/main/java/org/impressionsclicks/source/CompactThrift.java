package org.impressionsclicks.source;

/**
 * A cursor over bytes in Thrift's compact protocol, the encoding of Parquet's footer and page
 * headers, that reads only what its caller asks for and skips everything else field by field
 * without building an object.
 *
 * <p>parquet-java parses a footer into its generated {@code FileMetaData} classes and from there
 * into {@code ColumnChunkMetaData}, statistics and an interned {@code MessageType}: for the 545
 * column chunks of an upstream event file that is most of a small file's cost, while the job needs
 * two of them. Here a struct the caller does not need costs a walk over its bytes.
 *
 * <p>Reading past the end of the bytes (a truncated or corrupt footer) throws
 * {@link InvalidEventFileException}, never an unchecked exception.
 */
final class CompactThrift {

    static final int STOP = 0;
    static final int TRUE = 1;
    static final int FALSE = 2;
    static final int BYTE = 3;
    static final int I16 = 4;
    static final int I32 = 5;
    static final int I64 = 6;
    static final int DOUBLE = 7;
    static final int BINARY = 8;
    static final int LIST = 9;
    static final int SET = 10;
    static final int MAP = 11;
    static final int STRUCT = 12;

    /** Deeper nesting than Parquet's own structs ever have: corrupt input, not a file to walk. */
    private static final int MAX_DEPTH = 32;

    private final byte[] bytes;
    private final int end;
    private int pos;
    private int fieldId;
    private int listSize;

    CompactThrift(byte[] bytes, int from, int to) {
        this.bytes = bytes;
        this.pos = from;
        this.end = to;
    }

    byte[] bytes() {
        return bytes;
    }

    int position() {
        return pos;
    }

    /**
     * Reads the next field header of a struct whose previous field had id {@code previousId}
     * (0 at the start of the struct). Returns the field's type, or {@link #STOP} at the struct's end;
     * the field's id is then {@link #fieldId()}.
     */
    int nextField(int previousId) throws InvalidEventFileException {
        int header = readByte();
        int type = header & 0x0f;
        if (type == STOP) {
            return STOP;
        }
        int delta = (header >>> 4) & 0x0f;
        fieldId = delta == 0 ? zigzag32(readVarint32()) : previousId + delta;
        return type;
    }

    int fieldId() {
        return fieldId;
    }

    /** Reads a list or set header; returns the element type, the size is then {@link #listSize()}. */
    int listHeader() throws InvalidEventFileException {
        int header = readByte();
        int size = (header >>> 4) & 0x0f;
        listSize = size == 15 ? readVarint32() : size;
        if (listSize < 0 || listSize > end - pos) { // every element takes at least one byte
            throw corrupt("list of " + listSize + " elements");
        }
        return header & 0x0f;
    }

    int listSize() {
        return listSize;
    }

    int readI32() throws InvalidEventFileException {
        return zigzag32(readVarint32());
    }

    long readI64() throws InvalidEventFileException {
        long n = readVarint64();
        return (n >>> 1) ^ -(n & 1);
    }

    /** Reads a binary's length and leaves the cursor on its first byte. */
    int binaryLength() throws InvalidEventFileException {
        int length = readVarint32();
        if (length < 0 || length > end - pos) {
            throw corrupt("binary of " + length + " bytes");
        }
        return length;
    }

    void skipBytes(int n) throws InvalidEventFileException {
        if (n < 0 || n > end - pos) {
            throw corrupt("skip of " + n + " bytes");
        }
        pos += n;
    }

    /** Skips a struct field's value of the given type. */
    void skip(int type) throws InvalidEventFileException {
        pos = valueEnd(pos, type, false, 0);
    }

    /** Skips the rest of the current struct, up to and including its STOP. */
    void skipStruct() throws InvalidEventFileException {
        pos = structEnd(pos, 0);
    }

    // The skipping below keeps the cursor in a local and reads the bytes in place: it walks most of a
    // footer (the column chunks before the wanted ones), and the embedded cluster runs C1 only, which
    // keeps a field's value in a register no better than it inlines a call per byte. Every read is
    // bounded by end (a truncated footer), every length checked against it.

    /** Where the rest of the struct at {@code p} ends, after its STOP. */
    private int structEnd(int p, int depth) throws InvalidEventFileException {
        requireDepth(depth);
        final byte[] b = bytes;
        final int end = this.end;
        while (true) {
            if (p >= end) {
                throw corrupt("truncated");
            }
            int header = b[p++];
            int type = header & 0x0f;
            if (type == STOP) {
                return p;
            }
            if ((header & 0xf0) == 0) { // the field id follows as a varint
                p = varintEnd(p);
            }
            switch (type) {
                case TRUE:
                case FALSE:
                    break; // a bool field is its header
                case I16:
                case I32:
                case I64: { // a varint, read here: most of a column chunk's fields
                    int limit = Math.min(end, p + 10);
                    while (true) {
                        if (p >= limit) {
                            throw p >= end ? corrupt("truncated") : corrupt("varint longer than 10 bytes");
                        }
                        if (b[p++] >= 0) {
                            break;
                        }
                    }
                    break;
                }
                case BINARY:
                    p = binaryEnd(p);
                    break;
                default:
                    p = valueEnd(p, type, false, depth + 1);
            }
        }
    }

    /** Where the value of {@code type} at {@code p} ends; {@code element}: in a container (a bool is a byte there). */
    private int valueEnd(int p, int type, boolean element, int depth) throws InvalidEventFileException {
        switch (type) {
            case TRUE:
            case FALSE:
                return element ? bytesEnd(p, 1) : p; // in a struct a bool is the field type
            case BYTE:
                return bytesEnd(p, 1);
            case I16:
            case I32:
            case I64:
                return varintEnd(p);
            case DOUBLE:
                return bytesEnd(p, 8);
            case BINARY:
                return binaryEnd(p);
            case LIST:
            case SET:
                return listEnd(p, depth);
            case MAP:
                return mapEnd(p, depth);
            case STRUCT:
                return structEnd(p, depth);
            default:
                throw corrupt("field type " + type);
        }
    }

    private int listEnd(int p, int depth) throws InvalidEventFileException {
        requireDepth(depth);
        if (p >= end) {
            throw corrupt("truncated");
        }
        int header = bytes[p++];
        int elementType = header & 0x0f;
        long n = (header >>> 4) & 0x0f;
        if (n == 15) {
            long at = varint(p);
            p = (int) (at >>> 32);
            n = at & 0xffffffffL;
        }
        if (n > end - p) { // every element takes at least one byte
            throw corrupt("list of " + n + " elements");
        }
        if (elementType > STRUCT) {
            throw corrupt("list of field type " + elementType);
        }
        if (elementType == BINARY) { // path_in_schema, the commonest list
            for (long i = 0; i < n; i++) {
                p = binaryEnd(p);
            }
        } else {
            for (long i = 0; i < n; i++) {
                p = valueEnd(p, elementType, true, depth + 1);
            }
        }
        return p;
    }

    private int mapEnd(int p, int depth) throws InvalidEventFileException {
        requireDepth(depth);
        long at = varint(p);
        p = (int) (at >>> 32);
        long entries = at & 0xffffffffL;
        if (entries > end - p) {
            throw corrupt("map of " + entries + " entries");
        }
        if (entries > 0) {
            if (p >= end) {
                throw corrupt("truncated");
            }
            int types = bytes[p++];
            for (long i = 0; i < entries; i++) {
                p = valueEnd(p, types >>> 4 & 0x0f, true, depth + 1);
                p = valueEnd(p, types & 0x0f, true, depth + 1);
            }
        }
        return p;
    }

    private static void requireDepth(int depth) throws InvalidEventFileException {
        if (depth > MAX_DEPTH) {
            throw corrupt("structs nested deeper than " + MAX_DEPTH);
        }
    }

    /** Where a binary (its varint length, then its bytes) at {@code p} ends. */
    private int binaryEnd(int p) throws InvalidEventFileException {
        long at = varint(p);
        p = (int) (at >>> 32);
        long length = at & 0xffffffffL;
        if (length > end - p) {
            throw corrupt("binary of " + length + " bytes");
        }
        return p + (int) length;
    }

    private int bytesEnd(int p, int n) throws InvalidEventFileException {
        if (n > end - p) {
            throw corrupt("skip of " + n + " bytes");
        }
        return p + n;
    }

    /** Where the varint at {@code p} ends. */
    private int varintEnd(int p) throws InvalidEventFileException {
        final byte[] b = bytes;
        int limit = Math.min(end, p + 10);
        while (p < limit) {
            if (b[p++] >= 0) {
                return p;
            }
        }
        throw p >= end ? corrupt("truncated") : corrupt("varint longer than 10 bytes");
    }

    /**
     * The unsigned 32-bit varint at {@code p}: its end in the high half of the result, its value in the
     * low half (one long instead of an object or a field write).
     */
    private long varint(int p) throws InvalidEventFileException {
        final byte[] b = bytes;
        long value = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (p >= end) {
                throw corrupt("truncated");
            }
            int x = b[p++];
            value |= (long) (x & 0x7f) << shift;
            if (x >= 0) {
                if (value >>> 32 != 0) {
                    throw corrupt("32-bit varint out of range");
                }
                return (long) p << 32 | value;
            }
        }
        throw corrupt("32-bit varint out of range");
    }

    private int readByte() throws InvalidEventFileException {
        if (pos >= end) {
            throw corrupt("truncated");
        }
        return bytes[pos++] & 0xff;
    }

    private int readVarint32() throws InvalidEventFileException {
        long n = readVarint64();
        if (n >>> 32 != 0) {
            throw corrupt("32-bit varint out of range");
        }
        return (int) n;
    }

    private long readVarint64() throws InvalidEventFileException {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            int b = readByte();
            value |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw corrupt("varint longer than 10 bytes");
    }

    private static int zigzag32(int n) {
        return (n >>> 1) ^ -(n & 1);
    }

    static InvalidEventFileException corrupt(String what) {
        return new InvalidEventFileException("not a readable Parquet file (corrupt metadata: " + what + ")");
    }
}
