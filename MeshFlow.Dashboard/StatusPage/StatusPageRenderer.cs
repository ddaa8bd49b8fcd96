using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using MeshFlow.Dashboard.ApiClient;

namespace MeshFlow.Dashboard.StatusPage;

/// <summary>Renders the status page: a pure function of what the API said and when it was asked.</summary>
public static class StatusPageRenderer
{
    private const string Styles = """
        body { font-family: system-ui, sans-serif; margin: 0; background: #f5f6f8; color: #1f2328; }
        main { max-width: 36rem; margin: 3rem auto; padding: 0 1rem; }
        h1 { font-size: 1.5rem; margin: 0 0 1rem; }
        .card { background: #fff; border: 1px solid #d0d7de; border-radius: 8px; padding: 1.25rem 1.5rem; }
        .status { font-weight: 600; padding: 0.2rem 0.6rem; border-radius: 999px; }
        .healthy { background: #dafbe1; color: #116329; }
        .unhealthy { background: #fff8c5; color: #7d4e00; }
        .unreachable { background: #ffebe9; color: #a40e26; }
        dl { display: grid; grid-template-columns: max-content 1fr; gap: 0.5rem 1.5rem; margin: 1rem 0 0; }
        dt { color: #59636e; }
        dd { margin: 0; font-family: ui-monospace, monospace; }
        .error { margin: 1rem 0 0; font-family: ui-monospace, monospace; white-space: pre-wrap; }
        footer { margin-top: 1rem; color: #59636e; font-size: 0.85rem; }
        """;

    public static string Render(ApiHealthResult result, DateTimeOffset checkedAt, HtmlEncoder encoder)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(encoder);

        var body = new StringBuilder();
        if (result.Health is { } health)
        {
            var (statusClass, statusText) = health.Ok ? ("healthy", "Healthy") : ("unhealthy", "Unhealthy");
            body.Append(CultureInfo.InvariantCulture, $"""
                <p>API status: <span class="status {statusClass}">{encoder.Encode(statusText)}</span></p>
                <dl>
                  <dt>Version</dt><dd>{encoder.Encode(health.Version)}</dd>
                  <dt>Uptime</dt><dd>{encoder.Encode(FormatUptime(health.UptimeS))}</dd>
                  <dt>Ledger (db)</dt><dd>{encoder.Encode(health.Db)}</dd>
                  <dt>Queue (redis)</dt><dd>{encoder.Encode(health.Redis)}</dd>
                </dl>
                """);
        }
        else
        {
            body.Append(CultureInfo.InvariantCulture, $"""
                <p>API status: <span class="status unreachable">Unreachable</span></p>
                <p class="error">{encoder.Encode(result.Error ?? "Unknown error.")}</p>
                """);
        }

        var checkedAtText = checkedAt.ToUniversalTime().ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture);
        return $"""
            <!DOCTYPE html>
            <html lang="en">
            <head>
              <meta charset="utf-8">
              <meta name="viewport" content="width=device-width, initial-scale=1">
              <title>MeshFlow Dashboard</title>
              <style>
            {Styles}
              </style>
            </head>
            <body>
              <main>
                <h1>MeshFlow</h1>
                <section class="card">
            {body}
                </section>
                <footer>Checked at {encoder.Encode(checkedAtText)}. Reload the page to check again.</footer>
              </main>
            </body>
            </html>
            """;
    }

    /// <summary>Seconds as the two largest units: <c>3 d 4 h</c>, <c>12 min 5 s</c>, <c>42 s</c>.</summary>
    public static string FormatUptime(double seconds)
    {
        var uptime = TimeSpan.FromSeconds(Math.Max(0, Math.Floor(seconds)));
        return uptime switch
        {
            { TotalDays: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{(int)uptime.TotalDays} d {uptime.Hours} h"),
            { TotalHours: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{uptime.Hours} h {uptime.Minutes} min"),
            { TotalMinutes: >= 1 } => string.Create(CultureInfo.InvariantCulture, $"{uptime.Minutes} min {uptime.Seconds} s"),
            _ => string.Create(CultureInfo.InvariantCulture, $"{uptime.Seconds} s"),
        };
    }
}
