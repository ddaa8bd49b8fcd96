using System.Buffers;
using System.Text.Json;

namespace MeshFlow.LoadTest.Client;

/// <summary>The event kinds the load reacts to.</summary>
internal enum EventKind
{
    Other,
    RunStart,
    TokenDelta,
    StepEnd,
    RunEnd,
}

/// <summary>
/// What the load needs of one event line (<c>{seq, run_id, kind, ts, ..., data}</c>): its kind, its <c>ts</c> (with
/// the number of fraction digits it was written with), and for <c>run_end</c> the run's status. Parsing stops once
/// <c>kind</c> and <c>ts</c> are read, so the generator spends little of the machine it shares with the topology.
/// </summary>
internal readonly record struct EventLine(EventKind Kind, DateTimeOffset Timestamp, int TimestampDigits, string? Status)
{
    public static bool TryParse(ReadOnlySequence<byte> json, out EventLine line)
    {
        line = default;
        var reader = new Utf8JsonReader(json);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return false;
        }

        EventKind? kind = null;
        DateTimeOffset? ts = null;
        var digits = 0;
        string? status = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("kind"u8))
            {
                reader.Read();
                kind = KindOf(ref reader);
            }
            else if (reader.ValueTextEquals("ts"u8))
            {
                reader.Read();
                ts = reader.GetDateTimeOffset();
                digits = FractionDigits(reader.HasValueSequence ? reader.ValueSequence.ToArray() : reader.ValueSpan);
            }
            else if (reader.ValueTextEquals("data"u8) && kind == EventKind.RunEnd)
            {
                status = StatusOf(ref reader);
            }
            else
            {
                reader.Read();
                reader.Skip();
            }

            if (kind is { } known && ts is not null && (known != EventKind.RunEnd || status is not null))
            {
                break;
            }
        }

        if (kind is null || ts is null)
        {
            return false;
        }

        line = new EventLine(kind.Value, ts.Value, digits, status);
        return true;
    }

    private static EventKind KindOf(ref Utf8JsonReader reader) =>
        reader.ValueTextEquals("token_delta"u8) ? EventKind.TokenDelta
        : reader.ValueTextEquals("step_end"u8) ? EventKind.StepEnd
        : reader.ValueTextEquals("run_end"u8) ? EventKind.RunEnd
        : reader.ValueTextEquals("run_start"u8) ? EventKind.RunStart
        : EventKind.Other;

    private static string? StatusOf(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            reader.Skip();
            return null;
        }

        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("status"u8))
            {
                reader.Read();
                return reader.GetString();
            }
        }

        return null;
    }

    private static int FractionDigits(ReadOnlySpan<byte> text)
    {
        var dot = text.IndexOf((byte)'.');
        if (dot < 0)
        {
            return 0;
        }

        var digits = 0;
        while (dot + 1 + digits < text.Length && char.IsAsciiDigit((char)text[dot + 1 + digits]))
        {
            digits++;
        }

        return digits;
    }
}
