package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.support.Urls;
import java.util.Arrays;
import java.util.List;

/**
 * One place alerts go, declared once in the settings and named by the rules: a Slack channel, a WeCom, DingTalk,
 * Feishu or Lark group robot, a PagerDuty service, a Teams workflow, or any JSON webhook.
 *
 * @param name     what rules and {@code alerts.channels} call it ({@code slack} is slack.webhook-url's)
 * @param kind     how its receiver is spoken to
 * @param url      where posts go; empty: the channel is off (as is a PagerDuty channel without a routing key)
 * @param secret   DingTalk's or Feishu's signing secret, PagerDuty's routing key, a webhook's Authorization
 *                 header; empty: none. Added at each attempt, never written with a delivery
 * @param mention  who a critical alarm mentions, in the receiver's own terms, comma separated; empty: nobody
 * @param template a webhook's body template (a file), empty: the alert as JSON
 */
public record Channel(String name, ChannelKind kind, String url, String secret, String mention, String template) {

    /** Whether alerts for it are posted: it has somewhere to post to (and PagerDuty, a routing key). */
    public boolean isOn() {
        return !url.isEmpty() && (kind.secret() != ChannelKind.Secret.ROUTING_KEY || !secret.isEmpty());
    }

    /**
     * The delivery destination of its posts: its kind's lane settings (pacing, retries), and its own lanes. The
     * Slack channel of slack.webhook-url is {@code slack}, as it always was; every other is KIND:NAME.
     */
    public String destination() {
        return kind == ChannelKind.SLACK && name.equals(Channels.SLACK) ? "slack" : kind.word() + ":" + name;
    }

    /** The mentions, one each. */
    public List<String> mentions() {
        return Arrays.stream(mention.split("[,\\s]+")).map(String::trim).filter(m -> !m.isEmpty()).toList();
    }

    /** The same channel with its secret masked, for what is shown rather than sent (explain). */
    Channel masked() {
        return new Channel(name, kind, url, secret.isEmpty() ? "" : "(secret)", mention, template);
    }

    /** Never the URL's secret parts, nor the secret. */
    @Override
    public String toString() {
        return "Channel[" + name + ", " + kind.word() + ", " + (isOn() ? Urls.redact(url) : "off") + "]";
    }
}
