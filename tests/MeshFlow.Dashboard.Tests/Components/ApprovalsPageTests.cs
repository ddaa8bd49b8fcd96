using System.Net;
using Bunit;
using MeshFlow.Dashboard.Components.Approvals;
using MeshFlow.Dashboard.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.FluentUI.AspNetCore.Components;

namespace MeshFlow.Dashboard.Tests.Components;

public sealed class ApprovalsPageTests : BunitContext
{
    private const string Pending = """
        {"pending":[{"run_id":"run_1","workflow":"contract","node_id":"legal","step_id":"step_2","pause_seq":4,"stage":"gate",
          "reason":"kind: human node","block_reason":null,"tier":"high","context":{"draft":"..."},"created_at":"2026-12-07T14:50:00Z",
          "age_seconds":600,"expires_at":"2026-12-08T14:50:00Z","on_timeout":"reject","escalated":false,"state":"pending"}]}
        """;

    private readonly RoutedApi _api = new();

    public ApprovalsPageTests()
    {
        Services.AddFluentUIComponents();
        Services.AddSingleton<TimeProvider>(new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 15, 0, 0, TimeSpan.Zero)));
        JSInterop.Mode = JSRuntimeMode.Loose;
        _api.On("GET", "/hitl/pending", HttpStatusCode.OK, Pending);
    }

    [Fact]
    public void A_decision_that_lost_to_another_reviewer_says_it_was_already_decided()
    {
        _api.On("GET", "/me", HttpStatusCode.OK, """{"tenant":"acme","role":"reviewer"}""")
            .On("POST", "/hitl/run_1/approve", HttpStatusCode.Conflict,
                """{"title":"Already decided","status":409,"detail":"the pause of run 'run_1' was already rejected by 'ms.ortiz' at 2026-12-07T14:59:00.0000000+00:00"}""");
        var page = RenderPage();

        page.Find("[data-testid=reviewer-id]").Input("dr.lee");
        page.Find("[data-testid=notes]").Input("Looks fine.");
        page.Find("[data-testid=approve]").Click();

        page.WaitForAssertion(() => Assert.Contains("Not approved: someone decided first.", page.Find("[data-testid=decision-outcome]").TextContent, StringComparison.Ordinal));
        Assert.Contains("already rejected by 'ms.ortiz'", page.Find("[data-testid=decision-outcome]").TextContent, StringComparison.Ordinal);
        var (request, body) = Assert.Single(_api.Requests, r => r.Request.Method == HttpMethod.Post);
        Assert.Equal("?pause=4", request.RequestUri!.Query);
        Assert.Equal("""{"reviewer_id":"dr.lee","notes":"Looks fine."}""", body);
    }

    [Fact]
    public void A_decision_that_lands_says_who_decided_and_the_list_is_read_again()
    {
        _api.On("GET", "/me", HttpStatusCode.OK, """{"tenant":"acme","role":"admin"}""")
            .On("POST", "/hitl/run_1/reject", HttpStatusCode.OK,
                """{"run_id":"run_1","decision":"rejected","reviewer_id":"dr.lee","decided_at":"2026-12-07T15:00:00Z","met_deadline":true}""");
        var page = RenderPage();
        var listed = _api.Count("GET", "/hitl/pending");

        page.Find("[data-testid=reviewer-id]").Input("dr.lee");
        page.Find("[data-testid=reject]").Click();

        page.WaitForAssertion(() => Assert.Equal("Run run_1 rejected by dr.lee: it resumes on a worker.", page.Find("[data-testid=decision-outcome]").TextContent.Trim()));
        Assert.Equal(listed + 1, _api.Count("GET", "/hitl/pending"));
    }

    [Fact]
    public void A_user_key_sees_the_list_read_only_with_the_reason()
    {
        _api.On("GET", "/me", HttpStatusCode.OK, """{"tenant":"acme","role":"user"}""");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.approval-row")));
        Assert.Contains("only reviewer and admin keys can approve or reject", page.Find("[data-testid=read-only-note]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=approve]"));
        Assert.Empty(page.FindAll("[data-testid=reviewer-id]"));
    }

    [Fact]
    public void When_the_role_cannot_be_read_no_decision_is_offered()
    {
        _api.On("GET", "/me", HttpStatusCode.InternalServerError, """{"title":"boom","status":500,"detail":"the ledger is down"}""");

        var page = RenderPage();

        page.WaitForAssertion(() => Assert.Single(page.FindAll("tr.approval-row")));
        Assert.Contains("decisions are off", page.Find("[data-testid=approvals-error]").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("[data-testid=approve]"));
    }

    private IRenderedComponent<ApprovalsPage> RenderPage()
    {
        Services.AddSingleton(_api.CreateClient());
        return Render<ApprovalsPage>();
    }
}
