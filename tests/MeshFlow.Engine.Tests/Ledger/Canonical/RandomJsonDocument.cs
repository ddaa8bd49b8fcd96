using System.Globalization;
using System.Text;
using MeshFlow.Ledger.Canonical;

namespace MeshFlow.Tests.Ledger.Canonical;

/// <summary>
/// Generates random JSON documents from a seed: a value tree, a freely formatted text of it (random whitespace,
/// random escaping, several number spellings), and the canonical form a plain reference implementation gives for it
/// (ordinal string sort, per-char escaping, <see cref="CanonicalJson.FormatNumber"/> for numbers).
/// </summary>
internal sealed class RandomJsonDocument
{
    private const int MaxDepth = 4;

    private static readonly string[] Whitespace = ["", "", "", " ", "  ", "\n", "\t", "\r\n", " \n  "];

    private readonly Random _random;

    public RandomJsonDocument(int seed) => _random = new Random(seed);

    /// <summary>The next document: its JSON text and its expected canonical form.</summary>
    public (string Text, string Canonical) Next()
    {
        object? value = _random.Next(2) == 0 ? NextObject(0) : NextArray(0);
        var text = new StringBuilder();
        WriteText(value, text);
        var canonical = new StringBuilder();
        WriteCanonical(value, canonical);
        return (text.ToString(), canonical.ToString());
    }

    private object? NextValue(int depth)
    {
        var kind = _random.Next(depth >= MaxDepth ? 6 : 8);
        return kind switch
        {
            0 => null,
            1 => _random.Next(2) == 0,
            2 or 3 => NextNumber(),
            4 or 5 => NextString(12),
            6 => NextObject(depth + 1),
            _ => NextArray(depth + 1),
        };
    }

    private int ContainerSize(int depth) => depth switch
    {
        0 => _random.Next(10) == 0 ? _random.Next(17, 41) : _random.Next(0, 10),
        < 3 => _random.Next(0, 8),
        _ => _random.Next(0, 4),
    };

    private KeyValuePair<string, object?>[] NextObject(int depth)
    {
        var size = ContainerSize(depth);
        var names = new HashSet<string>(StringComparer.Ordinal);
        var members = new List<KeyValuePair<string, object?>>();
        for (var attempt = 0; members.Count < size && attempt < size * 4; attempt++)
        {
            // Short names from a small alphabet share prefixes; the rest exercise the whole repertoire.
            var name = _random.Next(3) == 0 ? NextString(8) : NextShortName();
            if (names.Add(name))
            {
                members.Add(new(name, NextValue(depth)));
            }
        }

        return [.. members];
    }

    private object?[] NextArray(int depth)
    {
        var items = new object?[ContainerSize(depth)];
        for (var i = 0; i < items.Length; i++)
        {
            items[i] = NextValue(depth);
        }

        return items;
    }

    private double NextNumber()
    {
        switch (_random.Next(6))
        {
            case 0:
                return _random.Next(-1_000_000, 1_000_000);
            case 1:
                return _random.Next(1, 100_000) / Math.Pow(10, _random.Next(0, 12));
            case 2:
                return _random.Next(1, 100_000) * Math.Pow(10, _random.Next(-30, 30)) * (_random.Next(2) == 0 ? 1 : -1);
            case 3:
                double[] specials = [0d, -0d, 1e21, 1e-7, 1e-6, 5e-324, double.MaxValue, -double.MaxValue, 9007199254740992d, 0.1];
                return specials[_random.Next(specials.Length)];
            default:
                Span<byte> bits = stackalloc byte[8];
                double value;
                do
                {
                    _random.NextBytes(bits);
                    value = BitConverter.ToDouble(bits);
                }
                while (!double.IsFinite(value));

                return value;
        }
    }

    private string NextShortName()
    {
        const string Alphabet = "abAB_1";
        var builder = new StringBuilder();
        var length = _random.Next(0, 4);
        for (var i = 0; i < length; i++)
        {
            builder.Append(Alphabet[_random.Next(Alphabet.Length)]);
        }

        return builder.ToString();
    }

    private string NextString(int maxLength)
    {
        var builder = new StringBuilder();
        var length = _random.Next(0, maxLength + 1);
        for (var i = 0; i < length; i++)
        {
            switch (_random.Next(10))
            {
                case 0:
                    builder.Append((char)_random.Next(0, 0x20));
                    break;
                case 1:
                    builder.Append("\"\\/"[_random.Next(3)]);
                    break;
                case 2:
                    builder.Append((char)_random.Next(0x80, 0x800));
                    break;
                case 3:
                    builder.Append((char)_random.Next(0x800, 0xD800));
                    break;
                case 4:
                    builder.Append((char)_random.Next(0xE000, 0x10000));
                    break;
                case 5:
                    builder.Append("\u2028\u2029\ufeff\u007f\u0080\ufb33"[_random.Next(6)]);
                    break;
                case 6:
                    builder.Append(char.ConvertFromUtf32(_random.Next(0x10000, 0x110000)));
                    break;
                default:
                    builder.Append((char)_random.Next(0x20, 0x7F));
                    break;
            }
        }

        return builder.ToString();
    }

    private void WriteText(object? value, StringBuilder text)
    {
        text.Append(Whitespace[_random.Next(Whitespace.Length)]);
        switch (value)
        {
            case null:
                text.Append("null");
                break;
            case bool flag:
                text.Append(flag ? "true" : "false");
                break;
            case double number:
                text.Append(_random.Next(3) switch
                {
                    0 => number.ToString("R", CultureInfo.InvariantCulture),
                    1 => number.ToString("E16", CultureInfo.InvariantCulture),
                    _ => CanonicalJson.FormatNumber(number),
                });
                break;
            case string s:
                WriteTextString(s, text);
                break;
            case KeyValuePair<string, object?>[] members:
                text.Append('{');
                for (var i = 0; i < members.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append(Whitespace[_random.Next(Whitespace.Length)]).Append(',');
                    }

                    text.Append(Whitespace[_random.Next(Whitespace.Length)]);
                    WriteTextString(members[i].Key, text);
                    text.Append(Whitespace[_random.Next(Whitespace.Length)]).Append(':');
                    WriteText(members[i].Value, text);
                }

                text.Append(Whitespace[_random.Next(Whitespace.Length)]).Append('}');
                break;
            case object?[] items:
                text.Append('[');
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        text.Append(Whitespace[_random.Next(Whitespace.Length)]).Append(',');
                    }

                    WriteText(items[i], text);
                }

                text.Append(Whitespace[_random.Next(Whitespace.Length)]).Append(']');
                break;
            default:
                throw new InvalidOperationException($"Unexpected model value {value.GetType()}.");
        }

        text.Append(Whitespace[_random.Next(Whitespace.Length)]);
    }

    /// <summary>A JSON string that escapes what it must and, at random, much that it need not.</summary>
    private void WriteTextString(string value, StringBuilder text)
    {
        text.Append('"');
        for (var i = 0; i < value.Length; i++)
        {
            var c = value[i];
            var mustEscape = c < 0x20 || c is '"' or '\\';
            var escape = mustEscape || _random.Next(5) == 0;
            if (!escape)
            {
                text.Append(c);
                if (char.IsHighSurrogate(c))
                {
                    text.Append(value[++i]);
                }

                continue;
            }

            var shortForm = c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '/' => "\\/",
                '\b' => "\\b",
                '\f' => "\\f",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ => null,
            };
            if (shortForm is not null && _random.Next(2) == 0)
            {
                text.Append(shortForm);
                continue;
            }

            // A surrogate pair is escaped as two \u escapes; the low half is picked up on the next turn.
            var format = _random.Next(2) == 0 ? "x4" : "X4";
            text.Append("\\u").Append(((int)c).ToString(format, CultureInfo.InvariantCulture));
            if (char.IsHighSurrogate(c))
            {
                text.Append("\\u").Append(((int)value[++i]).ToString(format, CultureInfo.InvariantCulture));
            }
        }

        text.Append('"');
    }

    private static void WriteCanonical(object? value, StringBuilder canonical)
    {
        switch (value)
        {
            case null:
                canonical.Append("null");
                break;
            case bool flag:
                canonical.Append(flag ? "true" : "false");
                break;
            case double number:
                canonical.Append(CanonicalJson.FormatNumber(number));
                break;
            case string s:
                WriteCanonicalString(s, canonical);
                break;
            case KeyValuePair<string, object?>[] members:
                canonical.Append('{');
                var first = true;
                foreach (var member in members.OrderBy(m => m.Key, StringComparer.Ordinal))
                {
                    if (!first)
                    {
                        canonical.Append(',');
                    }

                    first = false;
                    WriteCanonicalString(member.Key, canonical);
                    canonical.Append(':');
                    WriteCanonical(member.Value, canonical);
                }

                canonical.Append('}');
                break;
            case object?[] items:
                canonical.Append('[');
                for (var i = 0; i < items.Length; i++)
                {
                    if (i > 0)
                    {
                        canonical.Append(',');
                    }

                    WriteCanonical(items[i], canonical);
                }

                canonical.Append(']');
                break;
            default:
                throw new InvalidOperationException($"Unexpected model value {value.GetType()}.");
        }
    }

    private static void WriteCanonicalString(string value, StringBuilder canonical)
    {
        canonical.Append('"');
        foreach (var c in value)
        {
            canonical.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\b' => "\\b",
                '\t' => "\\t",
                '\n' => "\\n",
                '\f' => "\\f",
                '\r' => "\\r",
                < ' ' => "\\u" + ((int)c).ToString("x4", CultureInfo.InvariantCulture),
                _ => c.ToString(),
            });
        }

        canonical.Append('"');
    }
}
