using Microsoft.Extensions.Configuration;

namespace MeshFlow.Hosting;

/// <summary>
/// <c>MESHFLOW_TRACE_CONTENT</c>: whether model spans carry prompts and completions. Off unless set to <c>true</c>;
/// any value other than <c>true</c> or <c>false</c> is refused, so a typo never turns capture on or off silently.
/// </summary>
public static class TraceContentSetting
{
    /// <summary>The configuration key.</summary>
    public const string Key = "MESHFLOW_TRACE_CONTENT";

    /// <summary>The setting's value in <paramref name="configuration"/>; false when it is absent.</summary>
    /// <exception cref="FormatException">The value is neither <c>true</c> nor <c>false</c>.</exception>
    public static bool Read(IConfiguration? configuration)
    {
        var text = configuration?[Key];
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        return bool.TryParse(text.Trim(), out var value)
            ? value
            : throw new FormatException($"{Key} must be 'true' or 'false', but was '{text}'");
    }
}
