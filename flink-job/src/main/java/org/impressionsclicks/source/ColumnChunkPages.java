package org.impressionsclicks.source;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import org.apache.parquet.bytes.ByteBufferInputStream;
import org.apache.parquet.column.ColumnDescriptor;
import org.apache.parquet.column.ValuesType;
import org.apache.parquet.column.values.ValuesReader;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.parquet.schema.PrimitiveType.PrimitiveTypeName;
import org.apache.parquet.schema.Types;

/**
 * The pages of one column chunk of a non-repeated column, one at a time: page headers are read with
 * {@link CompactThrift}, pages decompressed by {@link EventFileCodecs}, and a data page's definition
 * levels and values located, for data pages v1 and v2 and a dictionary page first or none. Values are
 * left in the page bytes for the caller to compare in place; encodings this class doesn't walk
 * itself (the DELTA_* and BYTE_STREAM_SPLIT ones) get parquet-java's {@link ValuesReader}.
 */
final class ColumnChunkPages {

    // parquet.thrift: PageType and Encoding
    static final int DATA_PAGE = 0;
    static final int DICTIONARY_PAGE = 2;
    static final int DATA_PAGE_V2 = 3;
    static final int PLAIN = 0;
    static final int PLAIN_DICTIONARY = 2;
    static final int RLE = 3;
    static final int BIT_PACKED = 4;
    static final int RLE_DICTIONARY = 8;

    private static final VarHandle INT_LE = MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.LITTLE_ENDIAN);
    private static final VarHandle LONG_LE =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

    /** The largest page this reader inflates: far above any writer's pages, far below what a corrupt header could ask. */
    static final int MAX_PAGE_BYTES = 128 << 20;

    private final byte[] bytes;
    private final int end;
    private final CompressionCodecName codec;
    private final int maxDefinition;
    private final int levelBitWidth;
    private final long numValues;
    private final PrimitiveTypeName type;
    private int pos;
    private long valuesSeen;

    // The current page
    private int pageType;
    private int valueCount;
    private int encoding;
    private byte[] page;
    private int levelsFrom;
    private int levelsTo;
    private int levelEncoding;
    private int valuesFrom;
    private int valuesTo;
    private int nonNull;

    ColumnChunkPages(
            byte[] bytes,
            int from,
            int to,
            CompressionCodecName codec,
            PrimitiveTypeName type,
            int maxDefinition,
            long numValues) {
        this.bytes = bytes;
        this.pos = from;
        this.end = to;
        this.codec = codec;
        this.type = type;
        this.maxDefinition = maxDefinition;
        this.levelBitWidth = 32 - Integer.numberOfLeadingZeros(maxDefinition);
        this.numValues = numValues;
    }

    /**
     * Moves to the next dictionary or data page; false after the chunk's last value. Index pages and
     * unknown page types are skipped, as the format asks.
     */
    boolean next() throws InvalidEventFileException {
        while (valuesSeen < numValues) {
            if (pos >= end) {
                throw corrupt("column chunk ends after " + valuesSeen + " of its " + numValues + " values");
            }
            if (readPage()) {
                return true;
            }
        }
        return false;
    }

    boolean isDictionary() {
        return pageType == DICTIONARY_PAGE;
    }

    /** Entries of a dictionary page; value slots (nulls included) of a data page. */
    int valueCount() {
        return valueCount;
    }

    /** parquet.thrift's encoding of the values. */
    int encoding() {
        return encoding;
    }

    boolean isDictionaryEncoded() {
        return encoding == PLAIN_DICTIONARY || encoding == RLE_DICTIONARY;
    }

    byte[] page() {
        return page;
    }

    int valuesFrom() {
        return valuesFrom;
    }

    int valuesTo() {
        return valuesTo;
    }

    /** The number of non-null values of the data page: its values section holds exactly those. */
    int nonNull() throws InvalidEventFileException {
        if (nonNull < 0) {
            if (levelEncoding == RLE) {
                long[] present = new long[1];
                int[] slotOf = new int[maxDefinition + 1];
                java.util.Arrays.fill(slotOf, -1);
                slotOf[maxDefinition] = 0;
                RleBitPackedHybrid.count(page, levelsFrom, levelsTo, levelBitWidth, valueCount, slotOf, present);
                nonNull = (int) present[0];
            } else {
                int[] levels = definitionLevels(new int[valueCount], 0);
                int n = 0;
                for (int level : levels) {
                    n += level == maxDefinition ? 1 : 0;
                }
                nonNull = n;
            }
        }
        return nonNull;
    }

    /** Decodes the data page's definition levels into {@code out[from, from + valueCount())}. */
    int[] definitionLevels(int[] out, int from) throws InvalidEventFileException {
        if (maxDefinition == 0) {
            java.util.Arrays.fill(out, from, from + valueCount, 0);
        } else if (levelEncoding == RLE) {
            RleBitPackedHybrid.decode(page, levelsFrom, levelsTo, levelBitWidth, valueCount, out, from);
        } else { // the deprecated BIT_PACKED levels: most significant bit first
            for (int i = 0; i < valueCount; i++) {
                int value = 0;
                for (int b = 0; b < levelBitWidth; b++) {
                    long bit = (long) i * levelBitWidth + b;
                    value = value << 1 | (page[levelsFrom + (int) (bit >>> 3)] >>> (7 - (int) (bit & 7)) & 1);
                }
                out[from + i] = value;
            }
        }
        return out;
    }

    /** parquet-java's reader of the data page's values, for encodings not walked here. */
    ValuesReader valuesReader(int n) throws InvalidEventFileException {
        try {
            org.apache.parquet.format.Encoding format = org.apache.parquet.format.Encoding.findByValue(encoding);
            if (format == null) {
                throw corrupt("unknown encoding " + encoding);
            }
            ColumnDescriptor column = new ColumnDescriptor(
                    new String[] {"value"}, Types.optional(type).named("value"), 0, maxDefinition);
            ValuesReader reader = org.apache.parquet.column.Encoding.valueOf(format.name())
                    .getValuesReader(column, ValuesType.VALUES);
            reader.initFromPage(
                    n, ByteBufferInputStream.wrap(ByteBuffer.wrap(page, valuesFrom, valuesTo - valuesFrom)));
            return reader;
        } catch (java.io.IOException | RuntimeException e) {
            throw corrupt("values in " + encoding + " encoding: " + e.getMessage());
        }
    }

    private boolean readPage() throws InvalidEventFileException {
        CompactThrift thrift = new CompactThrift(bytes, pos, end);
        int type = -1;
        int uncompressed = -1;
        int compressed = -1;
        int count = -1;
        int valueEncoding = -1;
        int definitionEncoding = RLE;
        int nulls = -1;
        int definitionBytes = 0;
        int repetitionBytes = 0;
        boolean v2Compressed = true;
        int id = 0;
        int fieldType;
        while ((fieldType = thrift.nextField(id)) != CompactThrift.STOP) {
            id = thrift.fieldId();
            switch (id) {
                case 1:
                    type = thrift.readI32();
                    break;
                case 2:
                    uncompressed = thrift.readI32();
                    break;
                case 3:
                    compressed = thrift.readI32();
                    break;
                case 5: // DataPageHeader
                case 7: // DictionaryPageHeader
                case 8: { // DataPageHeaderV2
                    int header = id;
                    int hid = 0;
                    int ht;
                    while ((ht = thrift.nextField(hid)) != CompactThrift.STOP) {
                        hid = thrift.fieldId();
                        if (hid == 1 && ht == CompactThrift.I32) {
                            count = thrift.readI32();
                        } else if (header == 5 && hid == 2 || header == 7 && hid == 2 || header == 8 && hid == 4) {
                            valueEncoding = thrift.readI32();
                        } else if (header == 5 && hid == 3) {
                            definitionEncoding = thrift.readI32();
                        } else if (header == 8 && hid == 2) {
                            nulls = thrift.readI32();
                        } else if (header == 8 && hid == 5) {
                            definitionBytes = thrift.readI32();
                        } else if (header == 8 && hid == 6) {
                            repetitionBytes = thrift.readI32();
                        } else if (header == 8 && hid == 7) {
                            v2Compressed = ht == CompactThrift.TRUE;
                        } else {
                            thrift.skip(ht);
                        }
                    }
                    break;
                }
                default:
                    thrift.skip(fieldType);
            }
        }
        int body = thrift.position();
        if (compressed < 0 || uncompressed < 0 || compressed > end - body) {
            throw corrupt("page of " + compressed + " bytes in a chunk with " + (end - body) + " left");
        }
        pos = body + compressed;
        if (type != DATA_PAGE && type != DATA_PAGE_V2 && type != DICTIONARY_PAGE) {
            return false; // an index page, or a page type newer than this reader: skipped
        }
        if (count < 0 || valueEncoding < 0) {
            throw corrupt(
                    "page header without its " + (type == DICTIONARY_PAGE ? "dictionary" : "data") + " page header");
        }
        if (uncompressed > MAX_PAGE_BYTES) {
            throw corrupt("page of " + uncompressed + " bytes, more than the " + MAX_PAGE_BYTES + " this job reads");
        }
        if (type == DICTIONARY_PAGE ? count > uncompressed : count > numValues - valuesSeen) {
            throw corrupt("page of " + count + " values, more than its chunk or its bytes hold");
        }
        pageType = type;
        valueCount = count;
        encoding = valueEncoding;
        nonNull = -1;
        if (type == DATA_PAGE_V2) {
            int levels = repetitionBytes + definitionBytes;
            if (repetitionBytes < 0 || definitionBytes < 0 || levels > compressed || levels > uncompressed) {
                throw corrupt("page v2 levels of " + levels + " bytes");
            }
            // Levels are never compressed in v2; the values section is, unless the header says not.
            byte[] values = v2Compressed
                    ? EventFileCodecs.decompress(
                            codec, bytes, body + levels, compressed - levels, uncompressed - levels)
                    : java.util.Arrays.copyOfRange(bytes, body + levels, body + compressed);
            page = new byte[definitionBytes + values.length];
            System.arraycopy(bytes, body + repetitionBytes, page, 0, definitionBytes);
            System.arraycopy(values, 0, page, definitionBytes, values.length);
            levelsFrom = 0;
            levelsTo = definitionBytes;
            levelEncoding = RLE;
            valuesFrom = definitionBytes;
            if (nulls >= 0) {
                nonNull = count - nulls;
            }
        } else {
            page = EventFileCodecs.decompress(codec, bytes, body, compressed, uncompressed);
            valuesFrom = 0;
            if (type == DATA_PAGE && maxDefinition > 0) {
                levelEncoding = definitionEncoding;
                if (definitionEncoding == RLE) {
                    if (page.length < 4) {
                        throw corrupt("page too short for its definition levels");
                    }
                    int length = littleEndianInt(page, 0);
                    if (length < 0 || length > page.length - 4) {
                        throw corrupt("definition levels of " + length + " bytes");
                    }
                    levelsFrom = 4;
                    levelsTo = 4 + length;
                } else if (definitionEncoding == BIT_PACKED) {
                    levelsFrom = 0;
                    levelsTo = (int) (((long) count * levelBitWidth + 7) / 8);
                    if (levelsTo > page.length) {
                        throw corrupt("definition levels past the page's end");
                    }
                } else {
                    throw corrupt("definition levels in encoding " + definitionEncoding);
                }
                valuesFrom = levelsTo;
            } else if (type == DATA_PAGE) {
                nonNull = count;
            }
        }
        if (maxDefinition == 0 && type != DICTIONARY_PAGE) {
            nonNull = count;
        }
        valuesTo = page.length;
        if (type != DICTIONARY_PAGE) {
            valuesSeen += count;
        }
        return true;
    }

    /** Parquet's 4-byte little-endian lengths (levels, plain byte arrays, the footer's). */
    static int littleEndianInt(byte[] bytes, int at) {
        return (int) INT_LE.get(bytes, at);
    }

    /** A plain int64 value. */
    static long littleEndianLong(byte[] bytes, int at) {
        return (long) LONG_LE.get(bytes, at);
    }

    static InvalidEventFileException corrupt(String what) {
        return new InvalidEventFileException("not a readable Parquet file (corrupt page: " + what + ")");
    }
}
