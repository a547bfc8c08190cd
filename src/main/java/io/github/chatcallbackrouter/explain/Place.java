package io.github.chatcallbackrouter.explain;

/**
 * One place an event would go, and what it would receive there.
 *
 * @param label   what rule tests name it by: {@code slack}, {@code slack:oncall}, {@code alert-file},
 *                {@code upstream}, a forward's URL, or another endpoint's scheme and path
 * @param to      where exactly: a webhook URL without its secret path, a file, an endpoint
 * @param off     a Slack channel without a webhook: shown as it would be posted, but nothing would be
 * @param preview the Slack message as Slack shows it, as text; null for other places
 * @param content exactly what it would receive: Slack's JSON, the alert-file line, the HTTP body
 */
public record Place(String label, String to, boolean off, String preview, String content) {
}
