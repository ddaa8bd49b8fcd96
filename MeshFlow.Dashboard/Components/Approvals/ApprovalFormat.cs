using System.Globalization;
using System.Text.Json;

namespace MeshFlow.Dashboard.Components.Approvals;

/// <summary>How the approvals inbox writes deadlines and a pause's context.</summary>
public static class ApprovalFormat
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>"2 h 05 m left", "45 s left" or "overdue by 3 m 10 s": what a reviewer needs to know at a glance.</summary>
    public static string Remaining(DateTimeOffset deadline, DateTimeOffset now)
    {
        var left = deadline - now;
        return left >= TimeSpan.Zero ? $"{Span(left)} left" : $"overdue by {Span(-left)}";
    }

    /// <summary>The pause's context as indented JSON, or nothing when it has none.</summary>
    public static string Context(JsonElement context) =>
        context.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null
            || (context.ValueKind == JsonValueKind.Object && !context.EnumerateObject().Any())
            ? ""
            : JsonSerializer.Serialize(context, Indented);

    private static string Span(TimeSpan span) =>
        span.TotalDays >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalDays} d {span.Hours:00} h")
        : span.TotalHours >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalHours} h {span.Minutes:00} m")
        : span.TotalMinutes >= 1 ? string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalMinutes} m {span.Seconds:00} s")
        : string.Create(CultureInfo.InvariantCulture, $"{(int)span.TotalSeconds} s");
}
