using System.Net;
using MeshFlow.Api.Metrics;
using MeshFlow.Api.Security;
using MeshFlow.Api.Tests.Support;
using MeshFlow.ServiceDefaults.Startup;
using Microsoft.Extensions.Configuration;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests.Metrics;

/// <summary>
/// <c>GET /metrics</c> in embedded mode: what it serves is read with the Prometheus client's own parser, and its counters
/// move by exactly what the test's runs did.
/// </summary>
[Collection(nameof(MetricsAlone))]
public sealed class MetricsEndpointTests
{
    private const string ReviewerKey = "metrics-reviewer-key";

    private static readonly string[] Models = ["offline", "scripted"];

    // The publisher is declared high risk: strict pauses before it runs.
    private const string Publish = """
        name: publish
        policy: strict
        nodes:
          - id: drafter
            model: scripted
            responses: [DRAFT]
          - id: publisher
            model: scripted
            risk: high
            responses: [PUBLISHED]
        edges:
          - from: drafter
            to: publisher
        """;

    private static ApiFactory Api(bool open = false) => ApiFactory.Create(new Dictionary<string, string?>
    {
        [ApiSecurityConfiguration.ApiKeys] = $"{AdminKey}:metrics:admin,{UserKey}:metrics,{ReviewerKey}:metrics:reviewer",
        [MetricsSettings.GaugeCacheKey] = "0",
        [MetricsSettings.PublicKey] = open ? "true" : null,
    });

    private static async Task<PrometheusScrape> ScrapeAsync(HttpClient client)
    {
        using var response = await client.GetWithTimeoutAsync("/metrics");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain", response.Content.Headers.ContentType?.MediaType);
        return new PrometheusScrape(await PrometheusText.ParseAsync(await response.ReadTextAsync()));
    }

    private static async Task<PrometheusScrape> ScrapeUntilAsync(HttpClient client, Func<PrometheusScrape, bool> done)
    {
        using var timeout = new CancellationTokenSource(TestTimeouts.Default);
        while (true)
        {
            var scrape = await ScrapeAsync(client);
            if (done(scrape))
            {
                return scrape;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task Counters_move_by_exactly_what_the_runs_did_and_the_gauges_show_the_paused_run()
    {
        await using var api = Api();
        using var admin = api.CreateAuthenticatedClient(AdminKey);
        using var user = api.CreateAuthenticatedClient(UserKey);
        var before = await ScrapeAsync(admin);

        var completed = await StreamAsync(user, new { yaml = ThreeSteps, input = "x" });
        var blocked = await StreamAsync(user, new { yaml = ThreeSteps, input = "x", policy = new { max_steps = 1 } });
        var paused = await StreamAsync(user, new { yaml = Publish, input = "the clause" });
        // A run's last events go out before its worker lets it go: the scrape waits for the worker to be idle.
        var after = await ScrapeUntilAsync(admin, scrape => scrape.Sum("meshflow_runs_in_flight") == 0);

        Assert.Equal(("completed", "blocked", "paused"), (RunEnd(completed).GetProperty("status").GetString(),
            RunEnd(blocked).GetProperty("status").GetString(), RunEnd(paused).GetProperty("status").GetString()));
        double Delta(string name, params (string, string)[] labels) => after.Sum(name, labels) - before.Sum(name, labels);

        Assert.Equal("counter", after.TypeOf("meshflow_runs_total"));
        Assert.Equal(1, Delta("meshflow_runs_total", ("status", "completed")));
        Assert.Equal(1, Delta("meshflow_runs_total", ("status", "blocked")));
        Assert.Equal(2, Delta("meshflow_runs_total"));

        Assert.Equal("histogram", after.TypeOf("meshflow_run_duration_seconds_count"));
        Assert.Equal(1, Delta("meshflow_run_duration_seconds_count", ("status", "completed")));
        Assert.Equal(1, Delta("meshflow_run_duration_seconds_bucket", ("status", "completed"), ("le", "+Inf")));
        Assert.True(Delta("meshflow_run_duration_seconds_sum", ("status", "completed")) > 0);

        // Every token each run reported, by direction; a paused run's finished steps count too.
        var runs = new[] { completed, blocked, paused }.Select(run => RunEnd(run).GetProperty("tokens")).ToArray();
        var input = runs.Sum(t => t.GetProperty("input").GetInt64());
        var output = runs.Sum(t => t.GetProperty("output").GetInt64());
        Assert.True(input > 0 && output > 0);
        Assert.Equal("counter", after.TypeOf("meshflow_tokens_total"));
        Assert.Equal(input, Delta("meshflow_tokens_total", ("direction", "input")));
        Assert.Equal(output, Delta("meshflow_tokens_total", ("direction", "output")));
        Assert.All(after.Samples.Where(s => s.Name == "meshflow_tokens_total"), s => Assert.Contains(s.Labels["model"], Models));

        // The budget block counts; the strict pause (an escalation, not a block) does not.
        Assert.Equal(1, Delta("meshflow_blocks_total", ("reason", "budget")));
        Assert.Equal(1, Delta("meshflow_blocks_total"));

        Assert.Equal("gauge", after.TypeOf("meshflow_hitl_pending"));
        Assert.Equal(1, Delta("meshflow_hitl_pending"));
        Assert.Equal("gauge", after.TypeOf("meshflow_queue_depth"));
        Assert.Equal(0, after.Sum("meshflow_queue_depth"));
        // Embedded, the API is the one worker, and it was busy during the test.
        Assert.Single(after.Samples, s => s.Name == "meshflow_runs_in_flight" && s.Type == "gauge" && s.Labels.ContainsKey("worker"));

        Assert.Equal("histogram", after.TypeOf("meshflow_ledger_commit_duration_seconds_count"));
        // At least each run's run_start and first step were committed.
        Assert.True(Delta("meshflow_ledger_commit_duration_seconds_count") >= 6);

        // No tenant, run or input is ever a label.
        Assert.DoesNotContain(after.Samples.Where(s => s.Name.StartsWith("meshflow_", StringComparison.Ordinal)).SelectMany(s => s.Labels.Values),
            value => value is "metrics" or "x" or "the clause" || value.StartsWith("run_", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Metrics_need_an_admin_key_401_without_one_403_with_another_role()
    {
        await using var api = Api();
        using var anonymous = api.CreateClient();
        using var wrong = api.CreateAuthenticatedClient("not-a-key-of-this-api");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);

        using var none = await anonymous.GetWithTimeoutAsync("/metrics");
        using var unknown = await wrong.GetWithTimeoutAsync("/metrics");
        using var userAnswer = await user.GetWithTimeoutAsync("/metrics");
        using var reviewerAnswer = await reviewer.GetWithTimeoutAsync("/metrics");

        foreach (var (response, status) in new[] { (none, 401), (unknown, 401), (userAnswer, 403), (reviewerAnswer, 403) })
        {
            Assert.Equal((HttpStatusCode)status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var body = await response.ReadJsonAsync();
            Assert.Equal(status, body.GetProperty("status").GetInt32());
            Assert.DoesNotContain("meshflow_", await response.ReadTextAsync(), StringComparison.Ordinal);
        }

        using var admin = api.CreateAuthenticatedClient(AdminKey);
        Assert.Equal("gauge", (await ScrapeAsync(admin)).TypeOf("meshflow_hitl_pending"));
    }

    [Fact]
    public async Task Public_metrics_answer_without_a_key()
    {
        await using var api = Api(open: true);
        using var anonymous = api.CreateClient();

        var scrape = await ScrapeAsync(anonymous);

        Assert.Equal("gauge", scrape.TypeOf("meshflow_hitl_pending"));
        Assert.Equal("gauge", scrape.TypeOf("meshflow_queue_depth"));
    }

    [Fact]
    public void A_malformed_public_setting_is_refused_naming_its_key()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [MetricsSettings.PublicKey] = "yes" }).Build();

        var error = Assert.Throws<MeshFlowConfigurationException>(() => MetricsSettings.From(configuration));

        Assert.Contains(MetricsSettings.PublicKey, error.Message, StringComparison.Ordinal);
    }
}
