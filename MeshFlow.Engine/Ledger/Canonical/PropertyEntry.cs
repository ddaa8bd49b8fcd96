using System.Text.Json;

namespace MeshFlow.Ledger.Canonical;

/// <summary>
/// One member of an object being canonicalized: the property, and where its unescaped UTF-16 name sits in the
/// object's shared name buffer (the sort key).
/// </summary>
/// <param name="Property">The property as the document holds it.</param>
/// <param name="NameStart">The first char of the decoded name in the name buffer.</param>
/// <param name="NameLength">The decoded name's length in UTF-16 code units.</param>
/// <param name="NameHasEscapes">Whether the raw name held escapes, so it must be re-encoded rather than copied.</param>
internal readonly record struct PropertyEntry(JsonProperty Property, int NameStart, int NameLength, bool NameHasEscapes);
