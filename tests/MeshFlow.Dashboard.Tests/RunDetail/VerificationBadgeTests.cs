using Bunit;
using MeshFlow.Dashboard.ApiClient;
using MeshFlow.Dashboard.Components.RunDetail;

namespace MeshFlow.Dashboard.Tests.RunDetail;

public sealed class VerificationBadgeTests : IDisposable
{
    private readonly BunitContext _context = new();

    [Fact]
    public void A_valid_chain_says_verified()
    {
        var badge = Render(new RunVerification(true, 5, null, null));

        Assert.Equal("verified", badge.GetAttribute("data-state"));
        Assert.Equal("Verified", badge.TextContent);
    }

    [Fact]
    public void A_valid_chain_with_erased_payloads_counts_the_redacted_records()
    {
        var badge = Render(new RunVerification(true, 6, null, null) { Redacted = [2, 4] });
        var single = Render(new RunVerification(true, 6, null, null) { Redacted = [3] });

        Assert.Equal("redacted", badge.GetAttribute("data-state"));
        Assert.Equal("Verified · 2 redacted records", badge.TextContent);
        Assert.Equal("Verified · 1 redacted record", single.TextContent);
    }

    [Fact]
    public void A_broken_chain_names_its_first_bad_record_and_why()
    {
        var badge = Render(new RunVerification(false, 6, 4, "hash_mismatch") { Detail = "record 4's entry hash does not match its header", Redacted = [2] });

        Assert.Equal("broken", badge.GetAttribute("data-state"));
        Assert.Equal("Broken at record #4: hash_mismatch", badge.TextContent);
        Assert.Equal("record 4's entry hash does not match its header", badge.GetAttribute("title"));
    }

    [Fact]
    public void Before_an_answer_it_says_it_is_verifying_rather_than_verified()
    {
        var badge = Render(null);

        Assert.Equal("unknown", badge.GetAttribute("data-state"));
        Assert.Equal("Verifying…", badge.TextContent);
    }

    private AngleSharp.Dom.IElement Render(RunVerification? verification) =>
        _context.Render<VerificationBadge>(parameters => parameters.Add(b => b.Verification, verification)).Find("[data-testid=verification]");

    public void Dispose() => _context.Dispose();
}
