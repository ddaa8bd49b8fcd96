namespace MeshFlow.Cli.Output;

/// <summary>The colours of verdicts and run statuses, the same in every table and stream.</summary>
internal static class VerdictStyle
{
    /// <summary>Spectre markup for a verdict (<c>commit</c> green, <c>blocked</c> red, <c>escalate</c> amber) or a status.</summary>
    public static string Markup(string? verdictOrStatus) => verdictOrStatus switch
    {
        null or "" => "",
        _ => $"[{Colour(verdictOrStatus)}]{Spectre.Console.Markup.Escape(verdictOrStatus)}[/]",
    };

    private static string Colour(string value) => value switch
    {
        "commit" or "completed" => "green",
        "blocked" or "failed" => "red",
        "escalate" or "paused" => "orange1",
        "cancelled" => "grey",
        _ => "default",
    };
}
