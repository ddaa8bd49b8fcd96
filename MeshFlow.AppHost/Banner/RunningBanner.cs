using System.Text;

namespace MeshFlow.AppHost.Banner;

/// <summary>
/// The lines the AppHost prints once the api is up: where the API, MeshFlow's dashboard and the Aspire dashboard are,
/// and the API key. Tools wait for these line prefixes (<c>MeshFlow is running.</c>, <c>  API:        </c>...), so
/// they do not change.
/// </summary>
/// <param name="output">Where the banner goes: the AppHost's stdout unless a test registers its own.</param>
public sealed class RunningBanner(TextWriter output)
{
    public const string Heading = "MeshFlow is running.";

    /// <summary>The banner's text, one line each, the last followed by a blank line.</summary>
    public static string Format(RunningBannerInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        var text = new StringBuilder()
            .AppendLine()
            .AppendLine(Heading)
            .AppendLine($"  API:        {info.Api}")
            .AppendLine($"  Dashboard:  {info.Dashboard}")
            .AppendLine(info.Aspire is { } aspire
                ? $"  Aspire:     {aspire} (sign in with the 'Login to the dashboard at' link Aspire printed above)"
                : "  Aspire:     not running");
        if (info.ApiKey is { } key)
        {
            text.AppendLine($"  API key:    {key}")
                .AppendLine($"  Key file:   {info.KeyFile}");
        }
        else
        {
            text.AppendLine($"  API key:    from {ApiKeys.ApiKeyExtensions.ApiKeysVariable}");
        }

        return text
            .AppendLine($"  Try:        curl -H \"Authorization: Bearer {info.ApiKey ?? "<key>"}\" {info.Api}/workflows")
            .AppendLine()
            .ToString();
    }

    /// <summary>Writes the banner in one piece, so log lines of other threads never split it.</summary>
    public void Print(RunningBannerInfo info)
    {
        output.Write(Format(info));
        output.Flush();
    }
}
