package io.github.chatcallbackrouter.bench;

/** The answer Chat expects to every callback it sent: HTTP 200 with this JSON. Anything else is a non-OK answer. */
final class Ack {

    static final String JSON = "{\"ActionStatus\":\"OK\",\"ErrorInfo\":\"\",\"ErrorCode\":0}";

    private Ack() {
    }

    static boolean isOk(int status, String body) {
        return status == 200 && JSON.equals(body);
    }

    /** One line that says what a non-OK answer was, for the report (bodies cut to 120 characters). */
    static String describe(int status, String body) {
        String oneLine = body.replaceAll("\\s+", " ");
        return "HTTP " + status + " " + (oneLine.length() > 120 ? oneLine.substring(0, 120) + "…" : oneLine);
    }
}
