using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tests.Tools.Network;

public sealed class WebFetchToolTests
{
    internal const string Article = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
          <title>How the Pharos worked | Ancient Engineering</title>
          <script>window.tracker = "TRACKING-SCRIPT-TEXT";</script>
          <style>.nav { color: red; }</style>
        </head>
        <body>
          <header><nav class="nav"><a href="/">Home</a> <a href="/shop">NAVIGATION-MENU-TEXT</a> <a href="/about">About us</a></nav></header>
          <main>
            <article>
              <h1>How the Pharos worked</h1>
              <p>The Pharos of Alexandria was built in the third century BCE on the island of Pharos, at the entrance of the harbour of Alexandria. It stood for more than fifteen centuries and was among the tallest structures made by people.</p>
              <p>At night a fire burned at its summit, and a great bronze mirror is said to have reflected its light far out to sea, so that ships could find the harbour mouth between the reefs. By day the smoke served the same purpose.</p>
              <p>Earthquakes in the fourteenth century damaged it beyond repair, and in 1480 its stones were used to build the citadel of Qaitbay on the same site. Divers have since found blocks of the lighthouse in the harbour.</p>
              <p>The lighthouse gave its name to the word for lighthouse in many languages: pharos in Greek, faro in Italian and Spanish, phare in French.</p>
            </article>
          </main>
          <aside>Subscribe to our newsletter! SIDEBAR-TEXT</aside>
          <footer>Copyright Ancient Engineering. FOOTER-TEXT</footer>
          <script>console.log("SECOND-SCRIPT-TEXT")</script>
        </body>
        </html>
        """;

    [Fact]
    public async Task An_article_is_returned_as_its_readable_text_without_navigation_or_scripts()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 200, "text/plain", "User-agent: *\nDisallow: /private\n").On("/pharos", 200, "text/html; charset=utf-8", Article);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var page = await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/pharos").AbsoluteUri));

        Assert.StartsWith("Title: How the Pharos worked", page, StringComparison.Ordinal);
        Assert.Contains($"URL: {site.Url("/pharos").AbsoluteUri}", page, StringComparison.Ordinal);
        Assert.Contains("a great bronze mirror is said to have reflected its light", page, StringComparison.Ordinal);
        Assert.Contains("citadel of Qaitbay", page, StringComparison.Ordinal);
        foreach (var noise in new[] { "TRACKING-SCRIPT-TEXT", "SECOND-SCRIPT-TEXT", "NAVIGATION-MENU-TEXT", "color: red" })
        {
            Assert.DoesNotContain(noise, page, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_page_without_an_article_falls_back_to_its_body_text_without_scripts()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 404, "text/plain", string.Empty)
            .On("/short", 200, "text/html", "<html><head><title>Short</title><script>var x='SCRIPT';</script></head><body><nav>MENU</nav><p>Just one line.</p></body></html>");
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var page = await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/short").AbsoluteUri));

        Assert.Contains("Just one line.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("SCRIPT", page, StringComparison.Ordinal);
        Assert.DoesNotContain("MENU", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("application/json", "{\"a\":1}")]
    [InlineData("text/plain", "plain words")]
    [InlineData("application/xml", "<a>1</a>")]
    public async Task Text_json_and_xml_are_returned_as_they_are(string type, string body)
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 404, "text/plain", string.Empty).On("/data", 200, type, body);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        Assert.EndsWith(body, await tools.InvokeAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/data").AbsoluteUri)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Other_content_types_are_refused_by_name()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 404, "text/plain", string.Empty).On("/file.zip", 200, "application/zip", "PK");
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var refusal = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/file.zip?sig=SECRET").AbsoluteUri));

        Assert.Contains("application/zip", refusal.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", refusal.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Errors_name_the_url_without_its_query_or_user_information()
    {
        await using var site = await LocalSite.StartAsync();
        site.On("/robots.txt", 404, "text/plain", string.Empty);
        var tools = new NetworkToolHarness(NetworkToolHarness.Exempting(site));

        var missing = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", site.Url("/gone?api_key=SECRET#frag").AbsoluteUri));
        var userInfo = await tools.RefusedAsync(BuiltInToolNames.WebFetch, ("url", $"http://admin:SECRET@127.0.0.1:{site.Port}/"));

        Assert.Equal($"web_fetch: http://127.0.0.1:{site.Port}/gone answered HTTP 404", missing.Message);
        Assert.DoesNotContain("SECRET", userInfo.Message, StringComparison.Ordinal);
    }
}
