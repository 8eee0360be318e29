package io.amply.ledger.hash;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Checks one line of an export (ledger-hash-v1 §6) on its own, straight from its UTF-8 bytes:
 * everything {@link ChainVerifier} checks that does not depend on other entries. Lines are
 * independent, so several checkers (one per thread) can work through an export at once, and
 * {@link ChainVerifier#tryAccept} then links them up in order.
 *
 * <p>It is a fast path, not a second implementation of the contract's judgement. It reads a strict
 * subset of JSON, the shape exports have: an object with the export's members, each once, string
 * values without escapes, integers of at most 15 digits, and metadata of strings, such integers,
 * literals, arrays and objects with ASCII names. The canonical texts are written from the line's
 * bytes: string values byte for byte (without escapes they are already canonical, and their UTF-8
 * is checked as Java's strict decoder checks it), the content's members in their JCS order,
 * metadata members sorted as they are read. Lines it vouches for go into a {@link CheckedLines},
 * for {@link ChainVerifier#tryAccept}. For any other line, one outside the subset or one failing a
 * check, it returns -1: the caller must then parse the line the reference way
 * ({@link LedgerEntry#fromJson}) and give it to {@link ChainVerifier#accept(LedgerEntry)}, which
 * decides, and words any problem, exactly as it always has. {@link #checkFields} does the same for
 * an entry given as its members' values (a database row), with no line to parse.
 *
 * <p>Not thread-safe: one per thread.
 */
public final class ExportLineChecker {

    private static final int ID = 0;
    private static final int ORGANISATION_ID = 1;
    private static final int SEQUENCE = 2;
    private static final int TYPE = 3;
    private static final int AMOUNT = 4;
    private static final int CURRENCY = 5;
    private static final int VISIBILITY = 6;
    private static final int METADATA = 7;
    private static final int CREATED_AT = 8;
    private static final int CONTENT_HASH = 9;
    private static final int PREV_ENTRY_HASH = 10;
    private static final int ENTRY_HASH = 11;
    /** In the order exports write them (LedgerEntry.toJson). */
    private static final String[] MEMBER_NAMES = {"id", "organisation_id", "sequence", "type", "amount", "currency",
            "visibility", "metadata", "created_at", "content_hash", "prev_entry_hash", "entry_hash"};
    private static final byte[][] NAMES = bytes(MEMBER_NAMES, "");
    /** The names with their closing quote, to recognise the expected member in one comparison. */
    private static final byte[][] QUOTED_NAMES = bytes(MEMBER_NAMES, "\"");
    /** Every line has these (prev_entry_hash may be absent: then it is null, as for sequence 1). */
    private static final int ALWAYS = bit(ID) | bit(ORGANISATION_ID) | bit(SEQUENCE) | bit(VISIBILITY)
            | bit(CREATED_AT) | bit(CONTENT_HASH) | bit(ENTRY_HASH);
    /** A line has all of these or, content withheld, none. */
    private static final int CONTENT = bit(TYPE) | bit(AMOUNT) | bit(CURRENCY) | bit(METADATA);
    /** Integers this short are exact doubles and print as JCS prints them; longer ones take the reference path. */
    private static final int MAX_DIGITS = 15;
    private static final long FIFTEEN_DIGITS = 1_000_000_000_000_000L;
    /** Well inside Jackson's limits (nesting depth 1000, names 50,000 chars, strings 20M chars). */
    private static final int MAX_DEPTH = 64;
    private static final int MAX_NAME = 1_000;
    private static final int MAX_LINE = 1_000_000;

    // The constant parts of JCS(content) and JCS(link), between the members' values.
    private static final byte[] OPEN_AMOUNT = ascii("{\"amount\":");
    private static final byte[] BEFORE_CREATED_AT = ascii(",\"created_at\":\"");
    private static final byte[] BEFORE_CURRENCY = ascii("\",\"currency\":\"");
    private static final byte[] BEFORE_ID = ascii("\",\"id\":\"");
    private static final byte[] BEFORE_METADATA = ascii("\",\"metadata\":");
    private static final byte[] BEFORE_ORGANISATION_ID = ascii(",\"organisation_id\":\"");
    private static final byte[] BEFORE_SEQUENCE = ascii("\",\"sequence\":");
    private static final byte[] BEFORE_TYPE = ascii(",\"type\":\"");
    private static final byte[] BEFORE_VISIBILITY = ascii("\",\"v\":1,\"visibility\":\"");
    private static final byte[] CLOSE = ascii("\"}");
    private static final byte[] BEFORE_CONTENT_HASH = ascii("{\"content_hash\":\"");
    private static final byte[] BEFORE_PREV = ascii("\",\"prev_entry_hash\":\"");
    private static final byte[] PREV_NULL_CLOSE = ascii("\",\"prev_entry_hash\":null}");
    private static final int CONTENT_TEXT = OPEN_AMOUNT.length + BEFORE_CREATED_AT.length + BEFORE_CURRENCY.length
            + BEFORE_ID.length + BEFORE_METADATA.length + BEFORE_ORGANISATION_ID.length + BEFORE_SEQUENCE.length
            + BEFORE_TYPE.length + BEFORE_VISIBILITY.length + CLOSE.length;
    private static final int LINK_TEXT = BEFORE_CONTENT_HASH.length + 71 + BEFORE_PREV.length + 71 + CLOSE.length;
    private static final int[] CONTENT_STRINGS = {CREATED_AT, CURRENCY, ID, ORGANISATION_ID, TYPE, VISIBILITY};

    /** Thrown to abandon the fast path; preallocated and without a stack trace, as it is not an error. */
    private static final RuntimeException NOT_IN_SUBSET = new RuntimeException("not in the fast subset", null, false, false) {
    };

    private final LedgerDigest digest = new LedgerDigest();
    /** Where the content's and then the link's canonical text is written. */
    private byte[] text = new byte[1024];
    private final CanonicalBytes metadata = new CanonicalBytes();
    private byte[] scratch = new byte[256];
    /** (name from, name to, value from, value to) of the metadata members being sorted; objects nest. */
    private int[] members = new int[64];
    private int membersTop;

    private final int[] from = new int[NAMES.length];
    private final int[] to = new int[NAMES.length];
    private long sequence;
    private long amount;
    private int seen;
    /** The members whose value was checked to be {@code sha256:} and 64 lowercase hex digits. */
    private int hashShaped;
    private int lineEnd;

    private byte[] line;
    private int pos;
    private int end;

    /**
     * Checks {@code bytes[from, to)}, one line without its terminator (or byte-order mark). Adds it
     * to {@code into} and returns its index there, or returns -1 when the reference path must decide
     * (see the class comment).
     */
    public int check(byte[] bytes, int from, int to, CheckedLines into) {
        int index = checkLineAt(bytes, from, to, into);
        if (index >= 0 && lineEnd != to) {
            // a CR or LF before the end: not one line
            into.removeLast();
            return -1;
        }
        return index;
    }

    /**
     * Checks the line that starts at {@code bytes[from]} and ends at the first CR or LF before
     * {@code limit}, or at {@code limit}: it finds the end as it reads, so the caller need not look
     * for it first. When it adds the line to {@code into} (and returns its index), {@link #lineEnd()}
     * is where the line ends; when it returns -1, the caller finds the end and decides as after
     * {@link #check}.
     */
    public int checkLineAt(byte[] bytes, int from, int limit, CheckedLines into) {
        // The work is done here, not in a helper both entry points share: the JIT compiles the
        // per-line path once (a shared helper and this caller were each compiled, with all inlined).
        line = bytes;
        pos = from;
        end = limit;
        try {
            parse();
            if (lineEnd - from > MAX_LINE || !verify()) {
                return -1;
            }
            return into.add(bytes, sequence, (seen & CONTENT) == CONTENT, this.from[ORGANISATION_ID],
                    this.to[ORGANISATION_ID], prevIsNull() ? -1 : this.from[PREV_ENTRY_HASH], this.from[ENTRY_HASH]);
        } catch (RuntimeException e) {
            if (e == NOT_IN_SUBSET) {
                return -1;
            }
            throw e;
        } finally {
            line = null;
            membersTop = 0;
        }
    }

    /**
     * Checks an entry given as its members' values instead of as a line, e.g. a database row, with
     * the same checks and the same subset: each string member's UTF-8, without quotes, at
     * {@code bytes[ranges[at + 2m], ranges[at + 2m + 1])} for member m in the export's member order
     * ({@code id}, {@code organisation_id}, {@code sequence}, …, {@code entry_hash}; a from of -1
     * for null), the metadata as JSON text likewise, {@code sequence} and {@code amount} as numbers
     * (their slots only say whether they are null). A value that would need escaping,
     * a null other than {@code prev_entry_hash}, or anything else outside the subset returns -1:
     * the caller then renders the entry as a line and takes the reference path, as for a line.
     */
    public int checkFields(byte[] bytes, int[] ranges, int at, long sequence, long amount, CheckedLines into) {
        line = bytes;
        try {
            seen = ALWAYS | CONTENT | bit(PREV_ENTRY_HASH);
            hashShaped = 0;
            metadata.reset();
            // As for a line (MAX_LINE): nothing near Jackson's limits, which the reference path applies.
            long size = 0;
            for (int member = 0; member < NAMES.length; member++) {
                size += Math.max(0, ranges[at + 2 * member + 1] - ranges[at + 2 * member]);
            }
            if (size > MAX_LINE) {
                throw NOT_IN_SUBSET;
            }
            for (int member = 0; member < NAMES.length; member++) {
                if (member == SEQUENCE || member == AMOUNT) {
                    if (ranges[at + 2 * member] < 0) {
                        throw NOT_IN_SUBSET;
                    }
                    continue;
                }
                int valueFrom = ranges[at + 2 * member];
                int valueTo = ranges[at + 2 * member + 1];
                from[member] = valueFrom;
                to[member] = valueTo;
                if (valueFrom < 0) {
                    if (member != PREV_ENTRY_HASH) {
                        throw NOT_IN_SUBSET;
                    }
                    continue;
                }
                pos = valueFrom;
                end = valueTo;
                if (member == METADATA) {
                    whitespace();
                    if (peek() != '{') {
                        throw NOT_IN_SUBSET;
                    }
                    object(1);
                    whitespace();
                    if (pos != end) {
                        throw NOT_IN_SUBSET;
                    }
                } else if (member == CONTENT_HASH || member == PREV_ENTRY_HASH || member == ENTRY_HASH) {
                    if (valueTo - valueFrom != 71 || !LedgerHashes.isHashAt(bytes, valueFrom)) {
                        throw NOT_IN_SUBSET;
                    }
                    hashShaped |= bit(member);
                } else {
                    plainString();
                }
            }
            // as integer() allows on a line: integers of at most 15 digits
            if (sequence <= -FIFTEEN_DIGITS || sequence >= FIFTEEN_DIGITS || amount <= -FIFTEEN_DIGITS || amount >= FIFTEEN_DIGITS) {
                throw NOT_IN_SUBSET;
            }
            this.sequence = sequence;
            this.amount = amount;
            if (!verify()) {
                return -1;
            }
            return into.add(bytes, sequence, true, from[ORGANISATION_ID], to[ORGANISATION_ID],
                    prevIsNull() ? -1 : from[PREV_ENTRY_HASH], from[ENTRY_HASH]);
        } catch (RuntimeException e) {
            if (e == NOT_IN_SUBSET) {
                return -1;
            }
            throw e;
        } finally {
            line = null;
            membersTop = 0;
        }
    }

    /** A string value up to {@link #end} that needs no escaping: stringBody's checks, without quotes. */
    private void plainString() {
        byte[] b = line;
        while (pos < end) {
            byte c = b[pos];
            if (c >= 0x20 && c != '"' && c != '\\') {
                pos++;
            } else if (c < 0) {
                utf8();
            } else {
                throw NOT_IN_SUBSET;
            }
        }
    }

    /** Where the line last checked by {@link #checkLineAt} ends (its CR or LF, or the limit). */
    public int lineEnd() {
        return lineEnd;
    }

    // ---- reading ----

    private void parse() {
        seen = 0;
        hashShaped = 0;
        metadata.reset();
        whitespace();
        expect('{');
        whitespace();
        int expected = 0;
        while (true) {
            expect('"');
            int member;
            byte[] quoted = QUOTED_NAMES[expected];
            if (end - pos >= quoted.length && Arrays.equals(line, pos, pos + quoted.length, quoted, 0, quoted.length)) {
                // Exports write the members in one order: try the one that usually comes next first.
                member = expected;
                pos += quoted.length - 1;
            } else {
                int nameFrom = pos;
                name();
                member = member(nameFrom, pos);
            }
            pos++;
            whitespace();
            expect(':');
            whitespace();
            if (member < 0 || (seen & bit(member)) != 0) {
                // An unknown member or a repeated one: the reference parse accepts or refuses it.
                throw NOT_IN_SUBSET;
            }
            seen |= bit(member);
            expected = member + 1 < NAMES.length ? member + 1 : 0;
            switch (member) {
                case SEQUENCE -> sequence = integer();
                case AMOUNT -> amount = integer();
                case METADATA -> {
                    if (peek() != '{') {
                        throw NOT_IN_SUBSET;
                    }
                    object(1);
                }
                case PREV_ENTRY_HASH -> {
                    if (peek() == 'n') {
                        literal("null");
                        this.from[member] = -1;
                    } else {
                        hash(member);
                    }
                }
                case CONTENT_HASH, ENTRY_HASH -> hash(member);
                default -> string(member);
            }
            whitespace();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw NOT_IN_SUBSET;
            }
            whitespace();
        }
        whitespace();
        if (pos != end && line[pos] != '\n' && line[pos] != '\r') {
            throw NOT_IN_SUBSET;
        }
        // No CR or LF came before: whitespace() takes only spaces and tabs, strings no control characters.
        lineEnd = pos;
    }

    private void string(int member) {
        expect('"');
        from[member] = pos;
        stringBody();
        to[member] = pos;
        pos++;
    }

    /** A string expected to be a hash: its shape is checked here, while its bytes are at hand. */
    private void hash(int member) {
        expect('"');
        if (end - pos > 71 && line[pos + 71] == '"' && LedgerHashes.isHashAt(line, pos)) {
            from[member] = pos;
            to[member] = pos + 71;
            pos += 72;
            hashShaped |= bit(member);
        } else {
            from[member] = pos;
            stringBody();
            to[member] = pos;
            pos++;
        }
    }

    /** Advances to the closing quote of a string without escapes or control characters. */
    private void stringBody() {
        byte[] b = line;
        while (true) {
            if (pos >= end) {
                throw NOT_IN_SUBSET;
            }
            byte c = b[pos];
            if (c >= 0x20 && c != '"' && c != '\\') {
                pos++;
            } else if (c == '"') {
                return;
            } else if (c < 0) {
                utf8();
            } else {
                throw NOT_IN_SUBSET;
            }
        }
    }

    /** Advances to the closing quote of a member name: printable ASCII, no escapes. */
    private void name() {
        byte[] b = line;
        int start = pos;
        while (true) {
            if (pos >= end || pos - start > MAX_NAME) {
                throw NOT_IN_SUBSET;
            }
            byte c = b[pos];
            if (c == '"') {
                return;
            }
            if (c < 0x20 || c == '\\') {
                throw NOT_IN_SUBSET;
            }
            pos++;
        }
    }

    /**
     * Steps over one UTF-8 sequence, accepting exactly what Java's strict decoder accepts (no
     * overlong forms, no surrogates, nothing above U+10FFFF): its bytes are then copied as they are.
     */
    private void utf8() {
        byte[] b = line;
        int c0 = b[pos] & 0xFF;
        if (c0 < 0xC2) {
            throw NOT_IN_SUBSET;
        } else if (c0 < 0xE0) {
            continuation(pos + 1);
            pos += 2;
        } else if (c0 < 0xF0) {
            continuation(pos + 1);
            int c1 = b[pos + 1] & 0xFF;
            if (c0 == 0xE0 && c1 < 0xA0 || c0 == 0xED && c1 >= 0xA0) {
                throw NOT_IN_SUBSET;
            }
            continuation(pos + 2);
            pos += 3;
        } else if (c0 < 0xF5) {
            continuation(pos + 1);
            int c1 = b[pos + 1] & 0xFF;
            if (c0 == 0xF0 && c1 < 0x90 || c0 == 0xF4 && c1 >= 0x90) {
                throw NOT_IN_SUBSET;
            }
            continuation(pos + 2);
            continuation(pos + 3);
            pos += 4;
        } else {
            throw NOT_IN_SUBSET;
        }
    }

    private void continuation(int at) {
        if (at >= end || (line[at] & 0xC0) != 0x80) {
            throw NOT_IN_SUBSET;
        }
    }

    /** An integer token of at most 15 digits: what Jackson reads as an int or a long. */
    private long integer() {
        byte[] b = line;
        boolean negative = false;
        if (peek() == '-') {
            negative = true;
            pos++;
        }
        int start = pos;
        long value = 0;
        while (pos < end && b[pos] >= '0' && b[pos] <= '9') {
            value = value * 10 + (b[pos] - '0');
            pos++;
            if (pos - start > MAX_DIGITS) {
                throw NOT_IN_SUBSET;
            }
        }
        int digits = pos - start;
        // No digits, a leading zero, or a fraction or exponent (a float): for the reference path.
        if (digits == 0 || digits > 1 && b[start] == '0'
                || pos < end && (b[pos] == '.' || b[pos] == 'e' || b[pos] == 'E')) {
            throw NOT_IN_SUBSET;
        }
        return negative ? -value : value;
    }

    private void literal(String word) {
        for (int i = 0; i < word.length(); i++) {
            if (next() != word.charAt(i)) {
                throw NOT_IN_SUBSET;
            }
        }
    }

    /** Writes the JCS form of the metadata value at {@code pos} into {@link #metadata}. */
    private void value(int depth) {
        byte c = peek();
        switch (c) {
            case '"' -> {
                int start = ++pos;
                stringBody();
                metadata.put((byte) '"');
                metadata.raw(line, start, pos);
                metadata.put((byte) '"');
                pos++;
            }
            case '{' -> object(depth + 1);
            case '[' -> array(depth + 1);
            case 't' -> {
                literal("true");
                metadata.ascii("true");
            }
            case 'f' -> {
                literal("false");
                metadata.ascii("false");
            }
            case 'n' -> {
                literal("null");
                metadata.ascii("null");
            }
            default -> {
                if (c == '-' || c >= '0' && c <= '9') {
                    metadata.integer(integer());
                } else {
                    throw NOT_IN_SUBSET;
                }
            }
        }
    }

    private void array(int depth) {
        if (depth > MAX_DEPTH) {
            throw NOT_IN_SUBSET;
        }
        pos++;
        metadata.put((byte) '[');
        whitespace();
        if (peek() == ']') {
            pos++;
            metadata.put((byte) ']');
            return;
        }
        while (true) {
            value(depth);
            whitespace();
            byte c = next();
            if (c == ']') {
                metadata.put((byte) ']');
                return;
            }
            if (c != ',') {
                throw NOT_IN_SUBSET;
            }
            metadata.put((byte) ',');
            whitespace();
        }
    }

    /**
     * Writes an object's members' values as they come, then rewrites them sorted by name (ASCII
     * names, so byte order is JCS's UTF-16 order). A repeated name is left to the reference parse,
     * which refuses it.
     */
    private void object(int depth) {
        if (depth > MAX_DEPTH) {
            throw NOT_IN_SUBSET;
        }
        pos++;
        whitespace();
        if (peek() == '}') {
            pos++;
            metadata.ascii("{}");
            return;
        }
        int base = membersTop;
        int valuesFrom = metadata.length();
        while (true) {
            expect('"');
            int nameFrom = pos;
            name();
            int nameTo = pos++;
            whitespace();
            expect(':');
            whitespace();
            int valueFrom = metadata.length();
            value(depth);
            push(nameFrom, nameTo, valueFrom, metadata.length());
            whitespace();
            byte c = next();
            if (c == '}') {
                break;
            }
            if (c != ',') {
                throw NOT_IN_SUBSET;
            }
            whitespace();
        }
        sortMembers(base);
        int valuesTo = metadata.length();
        int size = valuesTo - valuesFrom;
        if (scratch.length < size) {
            scratch = new byte[Math.max(size, scratch.length * 2)];
        }
        System.arraycopy(metadata.bytes(), valuesFrom, scratch, 0, size);
        metadata.truncate(valuesFrom);
        metadata.put((byte) '{');
        for (int m = base; m < membersTop; m += 4) {
            if (m > base) {
                metadata.put((byte) ',');
            }
            metadata.put((byte) '"');
            metadata.raw(line, members[m], members[m + 1]);
            metadata.ascii("\":");
            metadata.raw(scratch, members[m + 2] - valuesFrom, members[m + 3] - valuesFrom);
        }
        metadata.put((byte) '}');
        membersTop = base;
    }

    private void push(int nameFrom, int nameTo, int valueFrom, int valueTo) {
        if (membersTop + 4 > members.length) {
            members = Arrays.copyOf(members, members.length * 2);
        }
        members[membersTop++] = nameFrom;
        members[membersTop++] = nameTo;
        members[membersTop++] = valueFrom;
        members[membersTop++] = valueTo;
    }

    /** Insertion sort of the 4-int member records from {@code base}; refuses a repeated name. */
    private void sortMembers(int base) {
        int[] m = members;
        int count = (membersTop - base) / 4;
        // Counted by member, stride 1: a stride-4 loop made the JIT recompile the method around it.
        for (int i = 1; i < count; i++) {
            int at = base + 4 * i;
            int a = m[at];
            int b = m[at + 1];
            int c = m[at + 2];
            int d = m[at + 3];
            int j = i - 1;
            while (j >= 0) {
                int other = base + 4 * j;
                int order = compareNames(m[other], m[other + 1], a, b);
                if (order == 0) {
                    throw NOT_IN_SUBSET;
                }
                if (order < 0) {
                    break;
                }
                System.arraycopy(m, other, m, other + 4, 4);
                j--;
            }
            int to = base + 4 * (j + 1);
            m[to] = a;
            m[to + 1] = b;
            m[to + 2] = c;
            m[to + 3] = d;
        }
    }

    private int compareNames(int aFrom, int aTo, int bFrom, int bTo) {
        byte[] b = line;
        int n = Math.min(aTo - aFrom, bTo - bFrom);
        for (int i = 0; i < n; i++) {
            int x = b[aFrom + i] & 0xFF;
            int y = b[bFrom + i] & 0xFF;
            if (x != y) {
                return x - y;
            }
        }
        return (aTo - aFrom) - (bTo - bFrom);
    }

    private int member(int nameFrom, int nameTo) {
        int length = nameTo - nameFrom;
        for (int m = 0; m < NAMES.length; m++) {
            byte[] name = NAMES[m];
            if (name.length == length && line[nameFrom] == name[0]
                    && Arrays.equals(line, nameFrom, nameTo, name, 0, length)) {
                return m;
            }
        }
        return -1;
    }

    /** Within a line only spaces and tabs can separate tokens (a CR or LF would have ended it). */
    private void whitespace() {
        while (pos < end && (line[pos] == ' ' || line[pos] == '\t')) {
            pos++;
        }
    }

    private void expect(char c) {
        if (next() != c) {
            throw NOT_IN_SUBSET;
        }
    }

    private byte peek() {
        if (pos >= end) {
            throw NOT_IN_SUBSET;
        }
        return line[pos];
    }

    private byte next() {
        if (pos >= end) {
            throw NOT_IN_SUBSET;
        }
        return line[pos++];
    }

    // ---- checking (ChainVerifier.problemWith, less what depends on the entries before) ----

    /**
     * The checks of ChainVerifier.problemWith that need no other entry. One method, with the
     * canonical texts written in it and one place that digests them: the JIT then compiles this
     * once, rather than again inside each caller it would be small enough to be copied into.
     */
    private boolean verify() {
        if ((seen & ALWAYS) != ALWAYS) {
            throw NOT_IN_SUBSET;
        }
        boolean hasContent = (seen & CONTENT) == CONTENT;
        if (!hasContent && (seen & CONTENT) != 0) {
            // Part of the content: LedgerEntry treats it as withheld, but leave such lines to the reference path.
            throw NOT_IN_SUBSET;
        }
        boolean prevIsNull = prevIsNull();
        if ((hashShaped & bit(CONTENT_HASH)) == 0 || (hashShaped & bit(ENTRY_HASH)) == 0
                || !prevIsNull && (hashShaped & bit(PREV_ENTRY_HASH)) == 0
                || !LedgerTime.isValid(line, from[CREATED_AT], to[CREATED_AT])
                // |amount| <= 2^53 - 1 holds for any integer of at most 15 digits.
                || hasContent && utf16Length(from[ID], to[ID]) > 20) {
            // A prev_entry_hash that is not a hash cannot be the previous entry's: ChainVerifier says so.
            return false;
        }
        byte[] b = text;
        int need = CONTENT_TEXT + 2 * 20 + metadata.length() + LINK_TEXT;
        for (int member : CONTENT_STRINGS) {
            need += to[member] - from[member];
        }
        if (b.length < need) {
            text = b = new byte[need * 2];
        }
        // JCS(content) as LedgerDigest.content writes it, from the line's bytes (none when withheld)
        int p = 0;
        if (hasContent) {
            p = copy(OPEN_AMOUNT, b, p);
            p = digits(amount, b, p);
            p = copy(BEFORE_CREATED_AT, b, p);
            p = copy(CREATED_AT, b, p);
            p = copy(BEFORE_CURRENCY, b, p);
            p = copy(CURRENCY, b, p);
            p = copy(BEFORE_ID, b, p);
            p = copy(ID, b, p);
            p = copy(BEFORE_METADATA, b, p);
            System.arraycopy(metadata.bytes(), 0, b, p, metadata.length());
            p += metadata.length();
            p = copy(BEFORE_ORGANISATION_ID, b, p);
            p = copy(ORGANISATION_ID, b, p);
            p = copy(BEFORE_SEQUENCE, b, p);
            p = digits(sequence, b, p);
            p = copy(BEFORE_TYPE, b, p);
            p = copy(TYPE, b, p);
            p = copy(BEFORE_VISIBILITY, b, p);
            p = copy(VISIBILITY, b, p);
            p = copy(CLOSE, b, p);
        }
        int contentEnd = p;
        // JCS(link) with the line's own prev_entry_hash; tryAccept checks that it is the previous entry's
        p = copy(BEFORE_CONTENT_HASH, b, p);
        p = copy(CONTENT_HASH, b, p);
        if (prevIsNull) {
            p = copy(PREV_NULL_CLOSE, b, p);
        } else {
            p = copy(BEFORE_PREV, b, p);
            p = copy(PREV_ENTRY_HASH, b, p);
            p = copy(CLOSE, b, p);
        }
        // Each text's SHA-256 must be the hash the line claims for it.
        for (int pass = hasContent ? 0 : 1; pass < 2; pass++) {
            int textFrom = pass == 0 ? 0 : contentEnd;
            int textTo = pass == 0 ? contentEnd : p;
            int claimed = from[pass == 0 ? CONTENT_HASH : ENTRY_HASH] + 7;
            if (!LedgerDigest.matches(digest.digest(b, textFrom, textTo - textFrom), line, claimed)) {
                return false;
            }
        }
        return true;
    }

    private boolean prevIsNull() {
        return (seen & bit(PREV_ENTRY_HASH)) == 0 || from[PREV_ENTRY_HASH] < 0;
    }

    private int copy(int member, byte[] to, int at) {
        int length = this.to[member] - from[member];
        System.arraycopy(line, from[member], to, at, length);
        return at + length;
    }

    private static int copy(byte[] constant, byte[] to, int at) {
        System.arraycopy(constant, 0, to, at, constant.length);
        return at + constant.length;
    }

    /** The decimal digits of {@code value} (at most 15 of them, and a sign). */
    private static int digits(long value, byte[] to, int at) {
        if (value < 0) {
            to[at++] = '-';
            value = -value;
        }
        int length = 1;
        for (long v = value; v >= 10; v /= 10) {
            length++;
        }
        for (int i = at + length - 1; i >= at; i--) {
            to[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
        return at + length;
    }

    /** The length of {@code line[from, to)} (valid UTF-8) as a Java String's length. */
    private int utf16Length(int from, int to) {
        int units = 0;
        for (int i = from; i < to; i++) {
            int c = line[i] & 0xFF;
            if ((c & 0xC0) != 0x80) {
                units += c >= 0xF0 ? 2 : 1;
            }
        }
        return units;
    }

    private static int bit(int member) {
        return 1 << member;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static byte[][] bytes(String[] names, String suffix) {
        byte[][] bytes = new byte[names.length][];
        for (int i = 0; i < names.length; i++) {
            bytes[i] = (names[i] + suffix).getBytes(StandardCharsets.US_ASCII);
        }
        return bytes;
    }
}
