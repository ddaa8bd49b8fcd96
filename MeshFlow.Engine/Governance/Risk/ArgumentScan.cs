using System.Buffers;
using System.Collections;
using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;

namespace MeshFlow.Governance.Risk;

/// <summary>
/// One pass over a call's arguments that records, per rule, the first top-level argument that trips it. Strings are
/// read as spans (JSON strings without escapes straight from the document's UTF-8 through a pooled buffer), so a
/// typical call allocates nothing here.
/// </summary>
internal struct ArgumentScan(RiskRuleOptions options)
{
    /// <summary>Deeper nesting than this is not read (and the call counts as unscanned).</summary>
    public const int MaxDepth = 16;

    /// <summary>More values than this are not read (and the call counts as unscanned).</summary>
    public const int MaxValues = 4096;

    // Property names longer than this (in UTF-8 bytes) are read through JsonProperty.Name instead of the stack.
    private const int MaxStackName = 128;

    private int _values;

    public string? Destructive { get; private set; }

    public string? Credential { get; private set; }

    public string? CredentialKind { get; private set; }

    public string? Money { get; private set; }

    public string? HostOutside { get; private set; }

    public string? PathOutside { get; private set; }

    public bool HasUrl { get; private set; }

    public bool WriteMode { get; private set; }

    public string? Unscanned { get; private set; }

    public void Visit(object? value, string argument, scoped ReadOnlySpan<char> name, int depth)
    {
        if (!Enter(argument, depth))
        {
            return;
        }

        switch (value)
        {
            case null or bool or Guid or DateTime or DateTimeOffset or TimeSpan or Enum:
                return;
            case string text:
                Inspect(text, argument, name);
                return;
            case JsonElement element:
                InspectJson(element, argument, name, depth);
                return;
            case sbyte or byte or short or ushort or int or uint or long or ulong or float or double or decimal or Half or Int128 or UInt128:
                InspectNumber(argument, name);
                return;
            case Uri uri:
                Inspect(uri.OriginalString, argument, name);
                return;
            case IEnumerable<KeyValuePair<string, object?>> map:
                foreach (var (key, item) in map)
                {
                    Visit(item, argument, key, depth + 1);
                }

                return;
            case IDictionary dictionary:
                foreach (DictionaryEntry entry in dictionary)
                {
                    Visit(entry.Value, argument, entry.Key as string ?? entry.Key?.ToString(), depth + 1);
                }

                return;
            case IEnumerable items:
                foreach (var item in items)
                {
                    Visit(item, argument, name, depth + 1);
                }

                return;
            default:
                // An object the rules cannot see into may carry anything.
                Unscanned ??= argument;
                return;
        }
    }

    private bool Enter(string argument, int depth)
    {
        if (++_values > MaxValues || depth > MaxDepth)
        {
            Unscanned ??= argument;
            return false;
        }

        return true;
    }

    // JSON children are walked here rather than through Visit, which would box every element.
    private void VisitJson(JsonElement element, string argument, scoped ReadOnlySpan<char> name, int depth)
    {
        if (Enter(argument, depth))
        {
            InspectJson(element, argument, name, depth);
        }
    }

    private void InspectJson(JsonElement element, string argument, scoped ReadOnlySpan<char> name, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.String:
                InspectJsonString(element, argument, name);
                return;
            case JsonValueKind.Number:
                InspectNumber(argument, name);
                return;
            case JsonValueKind.Array:
                foreach (var item in element.EnumerateArray())
                {
                    VisitJson(item, argument, name, depth + 1);
                }

                return;
            case JsonValueKind.Object:
                Span<char> buffer = stackalloc char[MaxStackName];
                foreach (var property in element.EnumerateObject())
                {
                    var raw = JsonMarshal.GetRawUtf8PropertyName(property);
                    if (raw.Length <= MaxStackName && !raw.Contains((byte)'\\'))
                    {
                        var length = Encoding.UTF8.GetChars(raw, buffer);
                        VisitJson(property.Value, argument, buffer[..length], depth + 1);
                    }
                    else
                    {
                        VisitJson(property.Value, argument, property.Name, depth + 1);
                    }
                }

                return;
            default:
                return;
        }
    }

    private void InspectJsonString(JsonElement element, string argument, scoped ReadOnlySpan<char> name)
    {
        // The raw value keeps its quotes and escapes; only an unescaped string can be decoded as it stands.
        var raw = JsonMarshal.GetRawUtf8Value(element);
        raw = raw.Length >= 2 ? raw[1..^1] : raw;
        if (raw.Contains((byte)'\\'))
        {
            Inspect(element.GetString(), argument, name);
            return;
        }

        var rented = ArrayPool<char>.Shared.Rent(Math.Max(raw.Length, 1));
        try
        {
            var length = Encoding.UTF8.GetChars(raw, rented);
            Inspect(rented.AsSpan(0, length), argument, name);
        }
        finally
        {
            ArrayPool<char>.Shared.Return(rented);
        }
    }

    private void InspectNumber(string argument, scoped ReadOnlySpan<char> name)
    {
        if (Money is null && ArgumentNames.Classify(name).HasFlag(ArgumentKinds.Money))
        {
            Money = argument;
        }
    }

    private void Inspect(scoped ReadOnlySpan<char> text, string argument, scoped ReadOnlySpan<char> name)
    {
        var value = text.Trim();
        if (value.IsEmpty)
        {
            return;
        }

        var kinds = ArgumentNames.Classify(name);
        var command = kinds.HasFlag(ArgumentKinds.Command);
        if (Destructive is null && RiskPatterns.MayBeDestructive(value) && RiskPatterns.Destructive().IsMatch(value))
        {
            Destructive = argument;
        }

        if (Credential is null)
        {
            InspectCredential(value, argument, kinds);
        }

        if (Money is null && ((!command && RiskPatterns.MayBeMoney(value) && RiskPatterns.Money().IsMatch(value))
            || (kinds.HasFlag(ArgumentKinds.Money) && decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _))))
        {
            Money = argument;
        }

        var isUrl = HostNames.IsUrl(value, out var afterScheme);
        if (isUrl)
        {
            HasUrl = true;
            if (HostOutside is null && !HostNames.AuthorityAllowed(afterScheme, options.AllowedHosts))
            {
                HostOutside = argument;
            }
        }
        else if (kinds.HasFlag(ArgumentKinds.Host) && HostNames.TryGetBareHost(value, out var host))
        {
            HasUrl = true;
            if (HostOutside is null && !HostNames.IsAllowed(host, options.AllowedHosts))
            {
                HostOutside = argument;
            }
        }
        else if (command)
        {
            if (HostNames.AnyEmbeddedHostOutside(value, options.AllowedHosts, out var foundUrl))
            {
                HostOutside ??= argument;
            }

            HasUrl |= foundUrl;
        }

        if (kinds.HasFlag(ArgumentKinds.Mode) && ArgumentNames.IsWriteMode(value))
        {
            WriteMode = true;
        }

        if (PathOutside is null && !isUrl && (kinds.HasFlag(ArgumentKinds.Path) || ScratchPaths.LooksAbsolute(value))
            && !ScratchPaths.IsInside(value, options.ScratchFolder))
        {
            PathOutside = argument;
        }
    }

    private void InspectCredential(scoped ReadOnlySpan<char> value, string argument, ArgumentKinds kinds)
    {
        if (RiskPatterns.MayBeCredential(value))
        {
            foreach (var match in RiskPatterns.Credential().EnumerateMatches(value))
            {
                Credential = argument;
                CredentialKind = RiskPatterns.CredentialKind(value.Slice(match.Index, match.Length));
                return;
            }
        }

        // A value under a secret's name is a secret, unless it only refers to one ($VAR, <placeholder>, ***).
        if (kinds.HasFlag(ArgumentKinds.Secret) && value[0] is not ('$' or '<' or '*' or '{' or '%'))
        {
            Credential = argument;
            CredentialKind = "a value named as a secret";
        }
    }
}
