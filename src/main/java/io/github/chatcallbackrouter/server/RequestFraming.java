package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.callback.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ByteProcessor;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.BiFunction;

/**
 * Each request's head, read before the HTTP decoder reads it, for what the decoder would resolve quietly: a request
 * with both Content-Length and Transfer-Encoding (the decoder drops the length and reads chunks, so a second request
 * smuggled in the body would be served) is refused with 400 and Tencent's FAIL JSON, and the connection closed, as
 * RFC 9112 §6.3 asks; so is an HTTP/2 preface (Chat calls over HTTP/1.1; the decoder would answer an empty 501).
 * Everything else passes through untouched, while the guard follows where each request's body ends (its length, or
 * its chunks), so that it reads the next head too. A head longer than the decoder takes is left to the decoder, which
 * refuses it.
 */
final class RequestFraming extends ChannelInboundHandlerAdapter {

    /** Name in the connection's pipeline, just before the HTTP decoder. */
    static final String NAME = "requestFraming";

    private enum State { HEAD, FIXED, CHUNK_SIZE, CHUNK_DATA, CHUNK_END, TRAILERS, PASS, REFUSED }

    private static final byte[] PREFACE = "PRI * HTTP/2".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] CONTENT_LENGTH = "content-length".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] TRANSFER_ENCODING = "transfer-encoding".getBytes(StandardCharsets.US_ASCII);

    private final int maxHeadBytes;
    private final BiFunction<Refusal, String, String> refusal;
    private State state = State.HEAD;
    private long remaining;
    private ByteBuf head;
    private final StringBuilder line = new StringBuilder();
    /** Line feeds in a row while looking for the end of a head. */
    private int newlines;
    private final ByteProcessor headEnds = this::headEndsAt;

    /** @param refusal the FAIL JSON for a refusal and its reason (counted and logged as every refusal is) */
    RequestFraming(int maxHeadBytes, BiFunction<Refusal, String, String> refusal) {
        this.maxHeadBytes = maxHeadBytes;
        this.refusal = refusal;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof ByteBuf in) || state == State.PASS) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (state == State.REFUSED) {
            in.release();
            return;
        }
        int start = in.readerIndex();
        int end = in.writerIndex();
        int forwardFrom = start;
        int i = start;
        while (i < end && state != State.REFUSED && state != State.PASS) {
            if (state != State.HEAD) {
                i = body(in, i, end);
                continue;
            }
            int headEnd = endOfHead(in, i, end);
            if (head == null && headEnd >= 0) {
                // the whole head in this read, as nearly always: read where it is, nothing copied
                String refused = read(in, i, headEnd);
                if (refused != null) {
                    refuse(ctx, in, forwardFrom, i, refused);
                    return;
                }
                i = headEnd;
                continue;
            }
            // a head across reads: held until it is whole, what came before it going on first
            if (forwardFrom < i) {
                ctx.fireChannelRead(in.retainedSlice(forwardFrom, i - forwardFrom));
            }
            if (head == null) {
                head = ctx.alloc().buffer();
            }
            head.writeBytes(in, i, (headEnd < 0 ? end : headEnd) - i);
            i = headEnd < 0 ? end : headEnd;
            forwardFrom = i;
            if (headEnd < 0) {
                if (head.readableBytes() > maxHeadBytes) {
                    state = State.PASS; // the decoder refuses a head this long
                    ctx.fireChannelRead(releaseHead());
                }
                break;
            }
            String refused = read(head, head.readerIndex(), head.writerIndex());
            if (refused != null) {
                refuse(ctx, in, forwardFrom, forwardFrom, refused);
                return;
            }
            ctx.fireChannelRead(releaseHead());
        }
        if (forwardFrom == start) {
            ctx.fireChannelRead(in); // untouched, in one piece: the decoder has nothing to put together
            return;
        }
        if (forwardFrom < end) {
            ctx.fireChannelRead(in.retainedSlice(forwardFrom, end - forwardFrom));
        }
        in.release();
    }

    /** Where the head ends in [from, end) (just past its blank line), counting what was held before; -1: not yet. */
    private int endOfHead(ByteBuf in, int from, int end) {
        newlines = head == null ? 0 : trailingNewlines(head);
        int blankLine = in.forEachByte(from, end - from, headEnds);
        return blankLine < 0 ? -1 : blankLine + 1;
    }

    /** Goes on until the second line feed in a row ("\r" aside): the blank line that ends a head. */
    private boolean headEndsAt(byte b) {
        if (b == '\n') {
            return ++newlines < 2;
        }
        if (b != '\r') {
            newlines = 0;
        }
        return true;
    }

    private static int trailingNewlines(ByteBuf held) {
        int seen = 0;
        for (int i = held.writerIndex() - 1; i >= held.readerIndex() && seen < 2; i--) {
            byte b = held.getByte(i);
            if (b == '\n') {
                seen++;
            } else if (b != '\r') {
                break;
            }
        }
        return seen;
    }

    /**
     * A whole head in [from, to): why it is refused, or null with the state set for its body. Only the two headers
     * that frame a body are made into text.
     */
    private String read(ByteBuf buf, int from, int to) {
        int lineEnd = lineEnd(buf, from, to);
        if (named(buf, from, Math.min(lineEnd, from + PREFACE.length), PREFACE)) {
            return "an HTTP/2 connection preface: Chat calls over HTTP/1.1";
        }
        Long length = null;
        String coding = null;
        for (int lineStart = lineEnd + 1; lineStart < to; lineStart = lineEnd + 1) {
            lineEnd = lineEnd(buf, lineStart, to);
            int colon = buf.indexOf(lineStart, lineEnd, (byte) ':');
            if (colon <= lineStart) {
                continue;
            }
            int nameStart = lineStart;
            int nameEnd = colon;
            while (nameStart < nameEnd && blank(buf.getByte(nameStart))) {
                nameStart++;
            }
            while (nameEnd > nameStart && blank(buf.getByte(nameEnd - 1))) {
                nameEnd--;
            }
            if (named(buf, nameStart, nameEnd, CONTENT_LENGTH)) {
                try {
                    length = Long.parseLong(buf.toString(colon + 1, lineEnd - colon - 1, StandardCharsets.ISO_8859_1)
                            .trim());
                } catch (NumberFormatException e) {
                    length = -1L; // the decoder refuses it
                }
            } else if (named(buf, nameStart, nameEnd, TRANSFER_ENCODING)) {
                coding = buf.toString(colon + 1, lineEnd - colon - 1, StandardCharsets.ISO_8859_1).trim()
                        .toLowerCase(Locale.ROOT);
            }
        }
        if (length != null && coding != null) {
            return "both Content-Length and Transfer-Encoding: which one ends the body is ambiguous";
        }
        if (coding != null) {
            state = coding.endsWith("chunked") ? State.CHUNK_SIZE : State.PASS;
        } else if (length != null && length > 0) {
            state = State.FIXED;
            remaining = length;
        } else {
            state = length != null && length < 0 ? State.PASS : State.HEAD;
        }
        return null;
    }

    /** Where the line from {@code from} ends: its line feed, or {@code to}. */
    private static int lineEnd(ByteBuf buf, int from, int to) {
        int lineFeed = buf.indexOf(from, to, (byte) '\n');
        return lineFeed < 0 ? to : lineFeed;
    }

    /** Whether [from, to) is the name, ASCII letters in any case. */
    private static boolean named(ByteBuf buf, int from, int to, byte[] name) {
        if (to - from != name.length) {
            return false;
        }
        for (int i = 0; i < name.length; i++) {
            byte b = buf.getByte(from + i);
            if (b != name[i] && !(Character.isLetter(name[i]) && (b | 0x20) == name[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean blank(byte b) {
        return b == ' ' || b == '\t';
    }

    /** Follows a body through [from, end); returns where it stopped (its end, or the end of what came). */
    private int body(ByteBuf in, int from, int end) {
        int i = from;
        switch (state) {
            case FIXED, CHUNK_DATA -> {
                long take = Math.min(remaining, end - i);
                i += (int) take;
                remaining -= take;
                if (remaining == 0) {
                    state = state == State.FIXED ? State.HEAD : State.CHUNK_END;
                    remaining = 2;
                }
            }
            case CHUNK_END -> {
                while (i < end && remaining > 0) {
                    i++;
                    remaining--;
                }
                if (remaining == 0) {
                    state = State.CHUNK_SIZE;
                }
            }
            case CHUNK_SIZE, TRAILERS -> {
                while (i < end) {
                    char c = (char) in.getByte(i++);
                    if (c != '\n') {
                        line.append(c);
                        continue;
                    }
                    String text = line.toString().strip();
                    line.setLength(0);
                    if (state == State.TRAILERS) {
                        if (text.isEmpty()) {
                            state = State.HEAD;
                        }
                        break;
                    }
                    int extension = text.indexOf(';');
                    try {
                        remaining = Long.parseLong(extension < 0 ? text : text.substring(0, extension).strip(), 16);
                    } catch (NumberFormatException e) {
                        state = State.PASS; // the decoder refuses a broken chunk
                        break;
                    }
                    state = remaining == 0 ? State.TRAILERS : State.CHUNK_DATA;
                    break;
                }
            }
            default -> i = end;
        }
        return i;
    }

    /**
     * Refuses the head that starts at {@code refusedFrom}: what came before it in this read (earlier requests and
     * their bodies) goes on first, then the FAIL answer, and the connection is closed.
     */
    private void refuse(ChannelHandlerContext ctx, ByteBuf in, int forwardFrom, int refusedFrom, String reason) {
        if (forwardFrom < refusedFrom) {
            ctx.fireChannelRead(in.retainedSlice(forwardFrom, refusedFrom - forwardFrom));
        }
        in.release();
        state = State.REFUSED;
        releaseHead();
        byte[] json = refusal.apply(Refusal.MALFORMED_REQUEST, "the HTTP request is refused: " + reason)
                .getBytes(StandardCharsets.UTF_8);
        String answer = "HTTP/1.1 400 Bad Request\r\nContent-Type: application/json\r\nContent-Length: " + json.length
                + "\r\nConnection: close\r\n\r\n";
        ByteBuf bytes = Unpooled.wrappedBuffer(answer.getBytes(StandardCharsets.US_ASCII), json);
        ctx.writeAndFlush(bytes).addListener(ChannelFutureListener.CLOSE);
    }

    private ByteBuf releaseHead() {
        ByteBuf held = head;
        head = null;
        if (state == State.REFUSED && held != null) {
            held.release();
            return null;
        }
        return held;
    }

    @Override
    public void handlerRemoved(ChannelHandlerContext ctx) {
        if (head != null) {
            head.release();
            head = null;
        }
    }
}
