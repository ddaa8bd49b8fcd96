using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MeshFlow.Tools.Network;

/// <summary>Says why an address must not be connected to by webhooks or network tools (it reaches this host, its network or a cloud's metadata service), or null.</summary>
internal static class AddressClassifier
{
    // Checked before the ranges that contain them, so the reason names the more dangerous thing.
    private static readonly IPAddress[] Metadata =
    [
        IPAddress.Parse("169.254.169.254"), // AWS, GCP, Azure, OCI, DigitalOcean…
        IPAddress.Parse("100.100.100.200"), // Alibaba Cloud
        IPAddress.Parse("fd00:ec2::254"),   // AWS over IPv6
    ];

    private static readonly (uint Network, int Prefix, string Reason)[] V4Ranges =
    [
        (V4(0, 0, 0, 0), 8, "unspecified"),
        (V4(10, 0, 0, 0), 8, "private"),
        (V4(100, 64, 0, 0), 10, "shared address space (CGNAT)"),
        (V4(127, 0, 0, 0), 8, "loopback"),
        (V4(169, 254, 0, 0), 16, "link-local"),
        (V4(172, 16, 0, 0), 12, "private"),
        (V4(192, 0, 0, 0), 24, "reserved (IETF protocol assignments)"),
        (V4(192, 168, 0, 0), 16, "private"),
        (V4(198, 18, 0, 0), 15, "reserved (benchmarking)"),
        (V4(224, 0, 0, 0), 4, "multicast"),
        (V4(255, 255, 255, 255), 32, "broadcast"),
        (V4(240, 0, 0, 0), 4, "reserved"),
    ];

    public static string? ReasonToRefuse(IPAddress address)
    {
        if (Array.IndexOf(Metadata, WithoutScope(address)) >= 0)
        {
            return "cloud metadata";
        }

        return address.AddressFamily switch
        {
            AddressFamily.InterNetwork => V4Reason(BinaryPrimitives.ReadUInt32BigEndian(address.GetAddressBytes())),
            AddressFamily.InterNetworkV6 => V6Reason(address.GetAddressBytes()),
            _ => "not an IP address",
        };
    }

    private static string? V4Reason(uint address)
    {
        foreach (var (network, prefix, reason) in V4Ranges)
        {
            var mask = prefix == 0 ? 0u : uint.MaxValue << (32 - prefix);
            if ((address & mask) == network)
            {
                return reason;
            }
        }

        return null;
    }

    private static string? V6Reason(byte[] b)
    {
        ReadOnlySpan<byte> bytes = b;
        if (bytes[..12].IndexOfAnyExcept((byte)0) < 0)
        {
            var unspecifiedOrLoopback = bytes[12..15].IndexOfAnyExcept((byte)0) < 0 && bytes[15] <= 1;
            return unspecifiedOrLoopback ? (bytes[15] == 0 ? "unspecified" : "loopback") : Embedded(bytes[12..], "IPv4-compatible");
        }

        if ((bytes[0] & 0xFE) == 0xFC)
        {
            return "private (unique local)";
        }

        if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0x80)
        {
            return "link-local";
        }

        if (bytes[0] == 0xFE && (bytes[1] & 0xC0) == 0xC0)
        {
            return "site-local";
        }

        if (bytes[0] == 0xFF)
        {
            return "multicast";
        }

        // Forms that carry an IPv4 address reach whatever that address reaches, so they inherit its verdict.
        if (bytes[..10].IndexOfAnyExcept((byte)0) < 0 && bytes[10] == 0xFF && bytes[11] == 0xFF)
        {
            return Embedded(bytes[12..], "IPv4-mapped");
        }

        if (bytes[..8].IndexOfAnyExcept((byte)0) < 0 && bytes[8] == 0xFF && bytes[9] == 0xFF && bytes[10] == 0 && bytes[11] == 0)
        {
            return Embedded(bytes[12..], "IPv4-translated");
        }

        if (bytes[..4].SequenceEqual(stackalloc byte[] { 0x00, 0x64, 0xFF, 0x9B }))
        {
            return bytes[4] == 0 && bytes[5] == 1
                ? "NAT64 local use"
                : Embedded(bytes[12..], "NAT64");
        }

        if (bytes[0] == 0x20 && bytes[1] == 0x02)
        {
            return Embedded(bytes[2..6], "6to4");
        }

        if (bytes[0] == 0x20 && bytes[1] == 0x01 && bytes[2] == 0 && bytes[3] == 0)
        {
            // Teredo: the client's IPv4 address is stored inverted in the last 32 bits.
            Span<byte> client = stackalloc byte[4];
            for (var i = 0; i < 4; i++)
            {
                client[i] = (byte)~bytes[12 + i];
            }

            return Embedded(client, "Teredo");
        }

        return null;
    }

    private static string? Embedded(ReadOnlySpan<byte> v4, string form) =>
        ReasonToRefuse(new IPAddress(v4)) is { } reason ? $"{reason}, {form}" : null;

    private static IPAddress WithoutScope(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetworkV6 && address.ScopeId != 0 ? new IPAddress(address.GetAddressBytes()) : address;

    private static uint V4(byte a, byte b, byte c, byte d) => (uint)(a << 24 | b << 16 | c << 8 | d);
}
