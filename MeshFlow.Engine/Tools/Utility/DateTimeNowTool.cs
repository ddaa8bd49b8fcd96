using System.Globalization;
using System.Text.Json;
using MeshFlow.Governance.Risk;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Utility;

/// <summary><c>datetime_now(timezone)</c>: the current time from the engine's <see cref="TimeProvider"/> in a time zone.</summary>
internal sealed class DateTimeNowTool(TimeProvider time) : BuiltInTool(
    BuiltInToolNames.DateTimeNow,
    "The current date and time in a time zone (IANA such as \"Europe/Paris\", or a Windows id; UTC by default), as " +
    "ISO 8601 with the zone's offset, plus the UTC time and the Unix time in seconds.",
    Schema,
    RiskTier.Low,
    TimeSpan.FromSeconds(5),
    1_000)
{
    private const string Schema = """
        {
          "type": "object",
          "properties": {
            "timezone": {
              "type": "string",
              "maxLength": 100,
              "description": "An IANA time zone such as \"Europe/Paris\" or \"America/New_York\" (or a Windows id); UTC when absent."
            }
          },
          "additionalProperties": false
        }
        """;

    protected override ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken)
    {
        var name = arguments.OptionalString("timezone")?.Trim();
        var zone = string.IsNullOrEmpty(name) ? TimeZoneInfo.Utc : Find(name);
        var utc = time.GetUtcNow();
        var local = TimeZoneInfo.ConvertTime(utc, zone);
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("iso", local.ToString("yyyy-MM-dd'T'HH:mm:sszzz", CultureInfo.InvariantCulture));
            writer.WriteString("timezone", string.IsNullOrEmpty(name) ? "UTC" : name);
            writer.WriteString("utc", utc.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture));
            writer.WriteNumber("unix", utc.ToUnixTimeSeconds());
            writer.WriteEndObject();
        }

        return ValueTask.FromResult(System.Text.Encoding.UTF8.GetString(buffer.ToArray()));
    }

    private static TimeZoneInfo Find(string name)
    {
        if (name.Length > 100 || name.Any(char.IsControl))
        {
            throw new BuiltInToolException("datetime_now: that is not a time zone name");
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception exception) when (exception is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            throw new BuiltInToolException($"datetime_now: unknown time zone '{name}' (use an IANA name such as Europe/Paris)", exception);
        }
    }
}
