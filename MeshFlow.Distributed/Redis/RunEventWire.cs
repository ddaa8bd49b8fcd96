using System.Globalization;
using MeshFlow.Runtime;
using StackExchange.Redis;

namespace MeshFlow.Distributed.Redis;

/// <summary>
/// How a <see cref="RunEventEnvelope"/> is written to Redis: a kept stream entry with id <c>&lt;seq&gt;-0</c> and the
/// fields <c>seq</c>, <c>kind</c>, <c>json</c>; and a pub/sub message <c>&lt;seq&gt;\n&lt;kind&gt;\n&lt;json&gt;</c>.
/// </summary>
internal static class RunEventWire
{
    public const string SeqField = "seq";
    public const string KindField = "kind";
    public const string JsonField = "json";

    /// <summary>The stream entry id of an event: its sequence number, so the stream is ordered and deduplicated by it.</summary>
    public static string EntryId(long seq) => seq.ToString(CultureInfo.InvariantCulture) + "-0";

    public static NameValueEntry[] Fields(RunEventEnvelope evt) =>
    [
        new(SeqField, evt.Seq),
        new(KindField, evt.Kind),
        new(JsonField, evt.Json),
    ];

    public static string Message(RunEventEnvelope evt) =>
        string.Concat(evt.Seq.ToString(CultureInfo.InvariantCulture), "\n", evt.Kind, "\n", evt.Json);

    public static RunEventEnvelope? FromEntry(StreamEntry entry)
    {
        var seq = entry[SeqField];
        var kind = entry[KindField];
        var json = entry[JsonField];
        return seq.TryParse(out long value) && !kind.IsNull && !json.IsNull
            ? new RunEventEnvelope(value, kind.ToString(), json.ToString())
            : null;
    }

    public static RunEventEnvelope? FromMessage(RedisValue message)
    {
        var text = message.ToString();
        var first = text.IndexOf('\n', StringComparison.Ordinal);
        var second = first < 0 ? -1 : text.IndexOf('\n', first + 1);
        if (second < 0 || !long.TryParse(text.AsSpan(0, first), NumberStyles.None, CultureInfo.InvariantCulture, out var seq))
        {
            return null;
        }

        return new RunEventEnvelope(seq, text[(first + 1)..second], text[(second + 1)..]);
    }
}
