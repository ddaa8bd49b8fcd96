namespace MeshFlow.Ledger.Signing;

/// <summary>Signs run heads with the service's ledger key.</summary>
/// <remarks>
/// Keys rotate by replacing the signer; every public key ever used is kept in the ledger under its id, so heads
/// signed before a rotation stay verifiable.
/// </remarks>
public interface ILedgerSigner
{
    /// <summary>The key's id, recorded in every record and head it signs.</summary>
    string KeyId { get; }

    /// <summary>The raw Ed25519 public key (32 bytes).</summary>
    byte[] PublicKey { get; }

    /// <summary>Signs a message; returns the 64-byte signature.</summary>
    byte[] Sign(ReadOnlySpan<byte> message);
}
