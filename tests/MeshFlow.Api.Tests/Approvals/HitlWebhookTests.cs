using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using MeshFlow.Api.Tests.Support;
using static MeshFlow.Api.Tests.Governance.GovernanceApi;

namespace MeshFlow.Api.Tests.Approvals;

/// <summary>Approval webhooks from the embedded API: delivered signed, shown in deliveries, refused at submission when unsafe.</summary>
public sealed class HitlWebhookTests
{
    private const string ReviewerKey = "hook-reviewer-key";

    // 32 bytes, base64: a test secret of the documented shape.
    private const string Secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSwAAAAAAAAAAA=";

    private static ApiFactory Api(string tenant, bool allowPrivate = true, bool withSecret = true) => ApiFactory.Create(new Dictionary<string, string?>
    {
        [MeshFlow.Api.Security.ApiSecurityConfiguration.ApiKeys] = $"{UserKey}:{tenant},{ReviewerKey}:{tenant}:reviewer",
        ["MESHFLOW_WEBHOOK_SECRETS"] = withSecret ? $"{tenant}={Secret}" : null,
        ["MESHFLOW_WEBHOOK_ALLOW_PRIVATE"] = allowPrivate ? "true" : null,
        ["MESHFLOW_PUBLIC_URL"] = "https://meshflow.example",
    });

    private static string Publish(string webhookUrl) => $$"""
        name: publish
        policy: { mode: strict, hitl: { webhook_url: '{{webhookUrl}}' } }
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

    [Fact]
    public async Task A_pause_is_delivered_signed_and_its_decision_too_and_deliveries_show_each_attempt()
    {
        await using var receiver = await Receiver.StartAsync();
        await using var api = Api("hook-deliver");
        using var user = api.CreateAuthenticatedClient(UserKey);
        using var reviewer = api.CreateAuthenticatedClient(ReviewerKey);

        var events = await StreamAsync(user, new { yaml = Publish(receiver.Url), input = "the clause" });
        var runId = events.Single(e => e.Kind == "hitl_pause").Data.GetProperty("run_id").GetString()!;
        var pause = await receiver.NextAsync();

        Assert.True(Verify(pause), "the pause's signature verifies with the tenant's secret");
        Assert.Equal(pause.Headers["webhook-signature"], pause.Headers["X-MeshFlow-Signature"]);
        using (var body = JsonDocument.Parse(pause.Body))
        {
            Assert.Equal(("hitl.pause", runId, "publisher", "high"), (body.RootElement.GetProperty("type").GetString(),
                body.RootElement.GetProperty("run_id").GetString(), body.RootElement.GetProperty("node_id").GetString(),
                body.RootElement.GetProperty("tier").GetString()));
            Assert.Equal($"https://meshflow.example/hitl/{runId}/approve?pause={body.RootElement.GetProperty("pause_seq").GetInt64()}",
                body.RootElement.GetProperty("approve_url").GetString());
        }

        using var approved = await reviewer.PostWithTimeoutAsync($"/hitl/{runId}/approve", Json(new { reviewer_id = "dr.lee" }));
        var resolved = await receiver.NextAsync();
        using var deliveries = await user.GetWithTimeoutAsync($"/hitl/{runId}/deliveries");

        Assert.Equal(HttpStatusCode.OK, approved.StatusCode);
        Assert.True(Verify(resolved));
        Assert.Contains("\"type\":\"hitl.resolved\"", resolved.Body, StringComparison.Ordinal);
        var shown = (await deliveries.ReadJsonAsync()).GetProperty("deliveries").EnumerateArray().ToList();
        Assert.Equal(["hitl.pause", "hitl.resolved"], shown.Select(d => d.GetProperty("type").GetString()).Order(StringComparer.Ordinal));
        var first = shown.Single(d => d.GetProperty("type").GetString() == "hitl.pause");
        Assert.Equal("delivered", first.GetProperty("state").GetString());
        var attempt = Assert.Single(first.GetProperty("attempts").EnumerateArray());
        Assert.Equal((200, "delivered"), (attempt.GetProperty("status_code").GetInt32(), attempt.GetProperty("outcome").GetString()));
    }

    [Fact]
    public async Task A_webhook_to_a_loopback_address_is_refused_at_submission_unless_private_addresses_are_allowed()
    {
        await using var api = Api("hook-refused", allowPrivate: false);
        using var user = api.CreateAuthenticatedClient(UserKey);

        using var response = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = Publish("http://127.0.0.1:9/hook"), input = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("policy.hitl.webhook_url", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains("loopback", problem.GetProperty("detail").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_webhook_for_a_tenant_without_a_signing_secret_is_refused_at_submission()
    {
        await using var api = Api("hook-unsigned", withSecret: false);
        using var user = api.CreateAuthenticatedClient(UserKey);

        using var response = await user.PostWithTimeoutAsync("/runs", Json(new { yaml = Publish("https://hooks.example/approvals"), input = "x" }));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.ReadJsonAsync();
        Assert.Equal("policy.hitl.webhook_url", problem.GetProperty("errors")[0].GetProperty("path").GetString());
        Assert.Contains("no webhook signing secret", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    // Standard Webhooks, verified here with the test's own HMAC rather than MeshFlow's signer.
    private static bool Verify(Received message)
    {
        var key = Convert.FromBase64String(Secret["whsec_".Length..]);
        var signed = $"{message.Headers["webhook-id"]}.{message.Headers["webhook-timestamp"]}.{message.Body}";
        var expected = "v1," + Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(signed)));
        var timestamp = DateTimeOffset.FromUnixTimeSeconds(long.Parse(message.Headers["webhook-timestamp"], System.Globalization.CultureInfo.InvariantCulture));
        return message.Headers["webhook-signature"].Split(' ').Contains(expected)
            && (DateTimeOffset.UtcNow - timestamp).Duration() <= TimeSpan.FromMinutes(5);
    }

    private sealed record Received(IReadOnlyDictionary<string, string> Headers, string Body);

    /// <summary>A loopback HTTP receiver that answers 200 and keeps what it was sent.</summary>
    private sealed class Receiver : IAsyncDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly ConcurrentQueue<Received> _received = new();
        private readonly SemaphoreSlim _arrived = new(0);
        private readonly Task _loop;

        private Receiver(int port)
        {
            Url = $"http://127.0.0.1:{port}/hooks/meshflow";
            _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public static Task<Receiver> StartAsync()
        {
            using var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            var port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return Task.FromResult(new Receiver(port));
        }

        public async Task<Received> NextAsync()
        {
            // The outbox is polled every few seconds.
            Assert.True(await _arrived.WaitAsync(TestTimeouts.Default * 2, TestContext.Current.CancellationToken), "no webhook arrived");
            Assert.True(_received.TryDequeue(out var message));
            return message!;
        }

        private async Task ServeAsync()
        {
            while (_listener.IsListening)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync();
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                using var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8);
                var body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                context.Response.StatusCode = 200;
                context.Response.Close();
                _received.Enqueue(new Received(headers, body));
                _arrived.Release();
            }
        }

        public async ValueTask DisposeAsync()
        {
            _listener.Stop();
            _listener.Close();
            await _loop;
            _arrived.Dispose();
        }
    }
}
