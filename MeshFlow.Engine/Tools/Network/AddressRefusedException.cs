namespace MeshFlow.Tools.Network;

/// <summary>
/// A host resolved only to addresses the <see cref="NetworkAddressRules"/> refuse (loopback, private, link-local, cloud
/// metadata…), so no connection was made.
/// </summary>
public sealed class AddressRefusedException : Exception
{
    /// <summary>Creates the exception for <paramref name="host"/>, with each refused address and why.</summary>
    public AddressRefusedException(string host, IReadOnlyList<string> refusals)
        : base($"'{host}' resolves only to refused addresses: {string.Join(", ", refusals)}")
    {
        Host = host;
        Refusals = refusals;
    }

    /// <summary>The host connected to.</summary>
    public string Host { get; }

    /// <summary>Each address the host resolved to and why it was refused (<c>127.0.0.1 (loopback)</c>).</summary>
    public IReadOnlyList<string> Refusals { get; }
}
