using MeshFlow.Tools.Network;

namespace MeshFlow.Tests.Tools.Network;

/// <summary>The robots.txt matcher against the rules and examples of RFC 9309.</summary>
public sealed class RobotsTxtTests
{
    private const string Bot = "MeshFlowBot/1.0 (+https://github.com/meshflow)";

    private static bool Allowed(string robots, string pathAndQuery, string agent = Bot) =>
        RobotsTxt.Parse(robots).IsAllowed(agent, new Uri("https://example.com" + pathAndQuery));

    [Theory]
    // RFC 9309 section 2.2.2: the most specific (longest) match wins.
    [InlineData("/example/page/disallowed.gif", false)]
    [InlineData("/example/page/", true)]
    [InlineData("/example/", true)]
    [InlineData("/other", true)]
    public void The_longest_matching_rule_wins(string path, bool allowed)
    {
        const string robots = """
            User-Agent: *
            Allow: /example/page/
            Disallow: /example/page/disallowed.gif
            Disallow: /example/page/secret
            """;

        Assert.Equal(allowed, Allowed(robots, path));
    }

    [Fact]
    public void Allow_wins_a_tie_between_rules_of_equal_length()
    {
        Assert.True(Allowed("User-agent: *\nDisallow: /page\nAllow: /page\n", "/page"));
        Assert.True(Allowed("User-agent: *\nAllow: /page\nDisallow: /page\n", "/page"));
    }

    [Theory]
    [InlineData("/fish", false)]
    [InlineData("/fish.html", false)]
    [InlineData("/fish/salmon.html", false)]
    [InlineData("/Fish.asp", true)]
    [InlineData("/catfish", true)]
    [InlineData("/shop/page.php", false)]
    [InlineData("/shop/page.php?id=1", false)]
    [InlineData("/page.php5", true)]
    [InlineData("/index.php/", true)]
    [InlineData("/a/b/secret/c", false)]
    public void Star_matches_any_run_of_characters_and_dollar_anchors_the_end(string path, bool allowed)
    {
        const string robots = """
            user-agent: *
            disallow: /fish
            disallow: /*.php$
            disallow: /shop/*.php
            disallow: /*/secret/
            """;

        Assert.Equal(allowed, Allowed(robots, path));
    }

    [Theory]
    [InlineData("/foo/bar?baz=quz", "/foo/bar?baz=quz")]
    [InlineData("/foo/bar/%E3%83%84", "/foo/bar/ツ")]
    [InlineData("/foo/bar/%E3%83%84", "/foo/bar/%e3%83%84")]
    [InlineData("/~joe/index.html", "/%7Ejoe/")]
    [InlineData("/%7ejoe/index.html", "/~joe/")]
    public void Percent_encoding_is_normalised_on_both_sides(string path, string rule)
    {
        Assert.False(Allowed($"User-agent: *\nDisallow: {rule}\n", path));
    }

    [Fact]
    public void The_group_naming_the_product_token_case_insensitively_is_used_instead_of_the_star_group()
    {
        const string robots = """
            User-agent: *
            Disallow: /

            User-agent: meshflowbot
            User-agent: OtherBot
            Disallow: /private
            # a comment
            Sitemap: https://example.com/sitemap.xml

            User-Agent: MESHFLOWBOT
            Disallow: /drafts
            """;

        Assert.True(Allowed(robots, "/public"));
        Assert.False(Allowed(robots, "/private/x"));
        Assert.False(Allowed(robots, "/drafts/1"));
        Assert.False(Allowed(robots, "/public", "SomeoneElse/2.0"));
    }

    [Fact]
    public void No_group_an_empty_disallow_and_the_robots_file_itself_are_allowed()
    {
        Assert.True(Allowed("User-agent: OtherBot\nDisallow: /\n", "/anything"));
        Assert.True(Allowed("User-agent: *\nDisallow:\n", "/anything"));
        Assert.True(Allowed("User-agent: *\nDisallow: /\n", "/robots.txt"));
        Assert.False(Allowed("User-agent: *\nDisallow: /\n", "/"));
        Assert.True(Allowed("", "/"));
    }

    [Fact]
    public void Matching_a_pathological_pattern_stays_linear_in_practice()
    {
        var robots = "User-agent: *\nDisallow: /" + string.Concat(Enumerable.Repeat("a*", 200)) + "b$\n";

        Assert.True(Allowed(robots, "/" + new string('a', 5000)));
    }
}
