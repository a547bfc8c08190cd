package io.github.chatcallbackrouter.server;

import io.github.chatcallbackrouter.callback.Refusal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
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

    private final int maxHeadBytes;
    private final BiFunction<Refusal, String, String> refusal;
    private State state = State.HEAD;
    private long remaining;
    private ByteBuf head;
    private final StringBuilder line = new StringBuilder();

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
        int forwardFrom = in.readerIndex();
        int end = in.writerIndex();
        int i = in.readerIndex();
        while (i < end && state != State.REFUSED && state != State.PASS) {
            if (state == State.HEAD) {
                if (forwardFrom < i) {
                    // the body before this head goes on first
                    ctx.fireChannelRead(in.retainedSlice(forwardFrom, i - forwardFrom));
                    forwardFrom = i;
                }
                int headEnd = endOfHead(in, i, end);
                if (head == null) {
                    head = ctx.alloc().buffer();
                }
                head.writeBytes(in, i, (headEnd < 0 ? end : headEnd) - i);
                if (headEnd < 0) {
                    i = end;
                    forwardFrom = end;
                    if (head.readableBytes() > maxHeadBytes) {
                        state = State.PASS; // the decoder refuses a head this long
                        ctx.fireChannelRead(releaseHead());
                    }
                    break;
                }
                i = headEnd;
                forwardFrom = headEnd;
                if (!decide(ctx)) {
                    break;
                }
                ctx.fireChannelRead(releaseHead());
                continue;
            }
            i = body(in, i, end);
        }
        if (state == State.REFUSED) {
            in.release();
            return;
        }
        if (forwardFrom < end) {
            ctx.fireChannelRead(in.retainedSlice(forwardFrom, end - forwardFrom));
        }
        in.release();
    }

    /** Where the head ends in [from, end) (just past its blank line), counting what was held before; -1: not yet. */
    private int endOfHead(ByteBuf in, int from, int end) {
        int seen = head == null ? 0 : trailingNewlines(head);
        for (int i = from; i < end; i++) {
            byte b = in.getByte(i);
            if (b == '\n') {
                seen++;
                if (seen == 2) {
                    return i + 1;
                }
            } else if (b != '\r') {
                seen = 0;
            }
        }
        return -1;
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

    /** A whole head: refused (false), or let through with what its body is (true). */
    private boolean decide(ChannelHandlerContext ctx) {
        String text = head.toString(StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r?\n");
        if (lines.length > 0 && lines[0].startsWith("PRI * HTTP/2")) {
            refuse(ctx, "an HTTP/2 connection preface: Chat calls over HTTP/1.1");
            return false;
        }
        Long length = null;
        String coding = null;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            if (name.equals("content-length")) {
                try {
                    length = Long.parseLong(value);
                } catch (NumberFormatException e) {
                    length = -1L; // the decoder refuses it
                }
            } else if (name.equals("transfer-encoding")) {
                coding = value.toLowerCase(Locale.ROOT);
            }
        }
        if (length != null && coding != null) {
            refuse(ctx, "both Content-Length and Transfer-Encoding: which one ends the body is ambiguous");
            return false;
        }
        if (coding != null) {
            state = coding.endsWith("chunked") ? State.CHUNK_SIZE : State.PASS;
        } else if (length != null && length > 0) {
            state = State.FIXED;
            remaining = length;
        } else {
            state = length != null && length < 0 ? State.PASS : State.HEAD;
        }
        return true;
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

    private void refuse(ChannelHandlerContext ctx, String reason) {
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
