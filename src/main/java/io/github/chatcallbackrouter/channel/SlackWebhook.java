package io.github.chatcallbackrouter.channel;

import io.github.chatcallbackrouter.alert.Alert;
import io.github.chatcallbackrouter.alert.AlertGroup;
import io.github.chatcallbackrouter.alert.SilencedAlarms;
import io.github.chatcallbackrouter.slack.SlackMessage;

/**
 * A Slack incoming webhook: the Block Kit message of slack/SlackMessage, a critical alarm's with the channel's
 * mention in its text. Slack
 * answers with the HTTP status ({@code ok}, or 4xx with its reason: invalid_payload, channel_not_found...), and
 * 429 with Retry-After.
 */
public final class SlackWebhook extends ChannelRobot {

    /** User groups, users, @here and @channel, as Slack writes them (api.slack.com/reference/surfaces/formatting). */
    private static final String MENTIONS = "(<(!subteam\\^[A-Z0-9]+|@[UW][A-Z0-9]+|!here|!channel)>\\s*)*";

    @Override
    public String alert(Alert alert, Channel channel) {
        return SlackMessage.render(alert, "critical".equals(alert.severity()) ? channel.mention() : "");
    }

    @Override
    public String summary(AlertGroup group, Channel channel) {
        return SlackMessage.renderSummary(group);
    }

    @Override
    public String silenceSummary(SilencedAlarms hidden, Channel channel) {
        return SlackMessage.renderSilenceSummary(hidden);
    }

    @Override
    public String mentionProblem(String mention) {
        return mention.matches(MENTIONS) ? null : "not a Slack mention such as <!subteam^S0123ABCD> (a user group),"
                + " <@U0123ABCD> (a user), <!here> or <!channel>";
    }
}
