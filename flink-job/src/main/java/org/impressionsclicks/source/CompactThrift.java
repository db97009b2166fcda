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
        skip(type, false, 0);
    }

    /** Skips the rest of the current struct, up to and including its STOP. */
    void skipStruct() throws InvalidEventFileException {
        skipStruct(0);
    }

    private void skipStruct(int depth) throws InvalidEventFileException {
        int type;
        int id = 0;
        while ((type = nextField(id)) != STOP) {
            id = fieldId;
            skip(type, false, depth + 1);
        }
    }

    private void skip(int type, boolean element, int depth) throws InvalidEventFileException {
        if (depth > MAX_DEPTH) {
            throw corrupt("structs nested deeper than " + MAX_DEPTH);
        }
        switch (type) {
            case TRUE:
            case FALSE:
                if (element) {
                    skipBytes(1); // in a container a bool is a byte; in a struct it is the field type
                }
                break;
            case BYTE:
                skipBytes(1);
                break;
            case I16:
            case I32:
            case I64:
                readVarint64();
                break;
            case DOUBLE:
                skipBytes(8);
                break;
            case BINARY:
                skipBytes(binaryLength());
                break;
            case LIST:
            case SET: {
                int elementType = listHeader();
                for (int i = 0, n = listSize; i < n; i++) {
                    skip(elementType, true, depth + 1);
                }
                break;
            }
            case MAP: {
                int entries = readVarint32();
                if (entries < 0 || entries > end - pos) {
                    throw corrupt("map of " + entries + " entries");
                }
                if (entries > 0) {
                    int types = readByte();
                    for (int i = 0; i < entries; i++) {
                        skip(types >>> 4 & 0x0f, true, depth + 1);
                        skip(types & 0x0f, true, depth + 1);
                    }
                }
                break;
            }
            case STRUCT:
                skipStruct(depth);
                break;
            default:
                throw corrupt("field type " + type);
        }
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
