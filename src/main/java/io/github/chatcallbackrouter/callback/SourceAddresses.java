package io.github.chatcallbackrouter.callback;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;

/**
 * The addresses callbacks may come from: single IPs and CIDR ranges, IPv4 or IPv6, as Tencent's GetIPList answers
 * them ({@code 183.192.202.0/25}). Empty means any address.
 */
final class SourceAddresses {

    private record Range(byte[] network, int prefixLength) {

        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int bits = address.length * 8;
            BigInteger mask = BigInteger.ONE.shiftLeft(bits).subtract(BigInteger.ONE)
                    .shiftRight(prefixLength).not();
            return new BigInteger(1, address).and(mask).equals(new BigInteger(1, network).and(mask));
        }
    }

    private final List<Range> ranges;
    private final String text;

    private SourceAddresses(List<Range> ranges, String text) {
        this.ranges = ranges;
        this.text = text;
    }

    /** Comma-separated IPs and CIDR ranges; empty = any address. Only literal addresses: no name is looked up. */
    static SourceAddresses parse(String commaSeparated) {
        List<Range> ranges = new ArrayList<>();
        for (String entry : commaSeparated.split(",")) {
            String trimmed = entry.trim();
            if (!trimmed.isEmpty()) {
                ranges.add(range(trimmed));
            }
        }
        return new SourceAddresses(List.copyOf(ranges), commaSeparated.trim());
    }

    boolean allowsAll() {
        return ranges.isEmpty();
    }

    boolean allows(InetAddress address) {
        if (ranges.isEmpty()) {
            return true;
        }
        byte[] bytes = address.getAddress();
        return ranges.stream().anyMatch(range -> range.contains(bytes));
    }

    @Override
    public String toString() {
        return text;
    }

    private static Range range(String entry) {
        int slash = entry.indexOf('/');
        String host = slash < 0 ? entry : entry.substring(0, slash);
        if (!host.matches("[0-9.]+|[0-9A-Fa-f:.]*:[0-9A-Fa-f:.]*")) {
            throw new IllegalArgumentException("tencent.allowed-sources: '" + entry
                    + "' is not an IP address or range");
        }
        byte[] network;
        try {
            network = InetAddress.getByName(host).getAddress(); // a literal: nothing is looked up
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("tencent.allowed-sources: '" + entry + "' is not an IP address");
        }
        int bits = network.length * 8;
        int prefix = bits;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(entry.substring(slash + 1));
            } catch (NumberFormatException e) {
                prefix = -1;
            }
            if (prefix < 0 || prefix > bits) {
                throw new IllegalArgumentException("tencent.allowed-sources: '" + entry
                        + "' has a prefix length outside 0.." + bits);
            }
        }
        return new Range(network, prefix);
    }
}
