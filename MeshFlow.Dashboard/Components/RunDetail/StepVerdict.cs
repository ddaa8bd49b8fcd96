namespace MeshFlow.Dashboard.Components.RunDetail;

/// <summary>How a step's verdict is named and coloured: commit green, blocked red, escalate amber, in flight brand blue.</summary>
public static class StepVerdict
{
    /// <summary>The CSS class that colours a bar or label (app.css maps each to a Fluent status token).</summary>
    public static string CssClass(string? verdict) => verdict switch
    {
        "commit" => "verdict-commit",
        "blocked" => "verdict-blocked",
        "escalate" => "verdict-escalate",
        null => "verdict-running",
        _ => "verdict-other",
    };

    /// <summary>The verdict in words, shown beside the colour so colour is never the only signal.</summary>
    public static string Text(string? verdict) => verdict ?? "running";
}
