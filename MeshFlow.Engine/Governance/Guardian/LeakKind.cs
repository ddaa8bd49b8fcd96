namespace MeshFlow.Governance.Guardian;

/// <summary>What a <see cref="LeakMatch"/> found in an agent's output.</summary>
public enum LeakKind
{
    /// <summary>A credential or secret value: an API key, a token, a private key, a password in a connection string.</summary>
    Secret,

    /// <summary>A channel that carries data out: a markdown image or link whose URL holds data, or a host not allowed.</summary>
    Exfiltration,
}
