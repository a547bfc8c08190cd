package io.github.chatcallbackrouter.callback;

import org.apache.camel.Exchange;

/**
 * What the callback route knows of a request beside its event, in one exchange property ({@value #PROPERTY}): when
 * it arrived (Chat's 2 seconds count from then), the query the callback server read and checked before the body,
 * and, once the intake has read them, the app and command label it is counted under and the query and body exactly
 * as Chat sent them (a relay to the app's backend passes them on). Written by the server and the intake, read by the
 * meter, the refusal answer, the relay and {@code explain}.
 */
public final class Arrival {

    /** The exchange property that holds it. */
    public static final String PROPERTY = "ChatArrival";

    private final long startedNanos;
    private final Object admitted;
    private String app = Apps.UNKNOWN;
    private String command;
    private String rawQuery;
    private byte[] rawBody;

    private Arrival(long startedNanos, Object admitted) {
        this.startedNanos = startedNanos;
        this.admitted = admitted;
    }

    /**
     * A request that arrived at {@code startedNanos}, whose query the callback server read and checked ({@code
     * admitted}: what {@link CallbackIntake#admit} returned), or null when the route is to.
     */
    public static void set(Exchange exchange, long startedNanos, Object admitted) {
        exchange.setProperty(PROPERTY, new Arrival(startedNanos, admitted));
    }

    /** The request's arrival; one that came another way (a route of the host's own) arrived now. */
    public static Arrival of(Exchange exchange) {
        Arrival arrival = exchange.getProperty(PROPERTY, Arrival.class);
        if (arrival == null) {
            arrival = new Arrival(System.nanoTime(), null);
            exchange.setProperty(PROPERTY, arrival);
        }
        return arrival;
    }

    /** {@link System#nanoTime()} when the request arrived. */
    public long startedNanos() {
        return startedNanos;
    }

    /** The query the server read and checked, or null when the route reads it. */
    CallbackQuery admitted() {
        return (CallbackQuery) admitted;
    }

    /** Known once the intake has read the query: the app's name and the command label it is counted under. */
    void identified(String app, String command) {
        this.app = app;
        this.command = command;
    }

    /** The query and body as Chat sent them. */
    void read(String rawQuery, byte[] rawBody) {
        this.rawQuery = rawQuery;
        this.rawBody = rawBody;
    }

    public String app() {
        return app;
    }

    public String command() {
        return command;
    }

    public String rawQuery() {
        return rawQuery;
    }

    public byte[] rawBody() {
        return rawBody;
    }
}
