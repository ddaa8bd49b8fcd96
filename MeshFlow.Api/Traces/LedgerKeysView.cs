namespace MeshFlow.Api.Traces;

/// <summary>The ledger's public signing keys, for a verifier to pin (<c>verify_bundle.py --public-key</c>).</summary>
/// <param name="CurrentKeyId">The id of the key new heads are signed with.</param>
/// <param name="Keys">Every key by id (the current one and those of earlier heads): base64 of the raw 32-byte Ed25519 public key.</param>
public sealed record LedgerKeysView(string CurrentKeyId, IReadOnlyDictionary<string, string> Keys);
