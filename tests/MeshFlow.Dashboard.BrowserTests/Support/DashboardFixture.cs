using System.Net.Http.Json;
using MeshFlow.Api.Hosting;
using MeshFlow.Dashboard.Hosting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace MeshFlow.Dashboard.BrowserTests.Support;

/// <summary>
/// The API (embedded mode, a temp data folder, known keys, a free port) and the dashboard pointed at it, both in this
/// process, and Debian's Chromium driven by Playwright. Each test opens its own browser context (its own cookies).
/// </summary>
public sealed class DashboardFixture : IAsyncLifetime
{
    public const string AdminKey = "browser-admin-key-7f3a";

    public const string ReviewerKey = "browser-reviewer-key-91c2";

    public const string UserKey = "browser-user-key-d40e";

    /// <summary>A tenant of its own for the live-runs test, so no other test's runs are in its list.</summary>
    public const string RunsUserKey = "browser-runs-key-5b18";

    /// <summary>A reviewer and a user of a tenant of their own for the approvals tests.</summary>
    public const string ApprovalsReviewerKey = "browser-approvals-reviewer-2c7e";

    public const string ApprovalsUserKey = "browser-approvals-user-8a41";

    /// <summary>A tenant of its own for the workflow editor's runs.</summary>
    public const string WorkflowsUserKey = "browser-workflows-key-6d13";

    /// <summary>A tenant of its own whose run counts the overview test knows.</summary>
    public const string OverviewUserKey = "browser-overview-key-3f90";

    /// <summary>A workflow that runs without a model provider: offline and scripted nodes.</summary>
    public const string OfflineWorkflow = """
        name: browser-review
        nodes:
          - id: writer
            model: offline
            instructions: Draft the clause.
          - id: critic
            model: scripted
            responses: [APPROVED]
        edges:
          - from: writer
            to: critic
        """;

    /// <summary>The API's <c>MESHFLOW_API_KEYS</c>.</summary>
    public const string ApiKeys =
        $"{AdminKey}:acme:admin,{ReviewerKey}:acme:reviewer,{UserKey}:globex:user,{RunsUserKey}:initech:user,"
        + $"{ApprovalsReviewerKey}:umbrella:reviewer,{ApprovalsUserKey}:umbrella:user,{WorkflowsUserKey}:stark:user,{OverviewUserKey}:hooli:user";

    private readonly string _dataDirectory = Directory.CreateTempSubdirectory("meshflow-dashboard-browser-").FullName;
    private WebApplication? _api;
    private WebApplication? _dashboard;
    private IPlaywright? _playwright;

    public Uri ApiUrl { get; private set; } = null!;

    public Uri DashboardUrl { get; private set; } = null!;

    public IBrowser Browser { get; private set; } = null!;

    /// <summary>The API's <c>hold</c> tool: a run that calls it stays in flight until the test releases it.</summary>
    public HoldTool Hold { get; } = new();

    /// <summary>Where each test's screenshot goes: <c>&lt;test bin&gt;/screenshots</c>.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public async ValueTask InitializeAsync()
    {
        _api = await StartApiAsync(_dataDirectory, configure: builder => builder.Services.AddSingleton(Hold.Function));
        ApiUrl = AddressOf(_api);
        _dashboard = await StartDashboardAsync(ApiUrl);
        DashboardUrl = AddressOf(_dashboard);

        Assertions.SetDefaultExpectTimeout(TestTimeouts.DefaultMilliseconds);
        _playwright = await Playwright.CreateAsync();
        Browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = "/usr/bin/chromium",
            Headless = true,
            Args =
            [
                "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync",
            ],
        });
        Directory.CreateDirectory(ScreenshotDirectory);
    }

    /// <summary>An API in embedded mode on <paramref name="port"/> (0: a free one) with the test keys and this data folder.</summary>
    public static async Task<WebApplication> StartApiAsync(string dataDirectory, int port = 0, Action<WebApplicationBuilder>? configure = null)
    {
        var api = MeshFlowApiHost.Build(
        [
            $"--urls=http://127.0.0.1:{port}",
            $"--MESHFLOW_DATA_DIR={dataDirectory}",
            $"--MESHFLOW_API_KEYS={ApiKeys}",
        ], configure);
        await MeshFlowApiHost.PrepareAsync(api);
        await api.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default);
        return api;
    }

    /// <summary>A dashboard on a free port pointed at <paramref name="apiUrl"/>, with any further settings (<c>--name=value</c>).</summary>
    public static async Task<WebApplication> StartDashboardAsync(Uri apiUrl, params string[] settings)
    {
        var dashboard = DashboardHost.Build(
        [
            "--urls=http://127.0.0.1:0",
            "--environment=Development",
            $"--{Dashboard.ApiClient.MeshFlowApiClientExtensions.ApiUrlKey}={apiUrl}",
            .. settings,
        ]);
        await dashboard.StartAsync(TestContext.Current.CancellationToken).WaitAsync(TestTimeouts.Default);
        return dashboard;
    }

    /// <summary>A fresh browser context on <paramref name="baseUrl"/> (default: the shared dashboard).</summary>
    public async Task<IPage> NewPageAsync(Uri baseUrl)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions { BaseURL = baseUrl.ToString() });
        context.SetDefaultTimeout(TestTimeouts.DefaultMilliseconds);
        context.SetDefaultNavigationTimeout(TestTimeouts.DefaultMilliseconds);
        return await context.NewPageAsync();
    }

    /// <summary>A fresh browser context (no cookies) on the dashboard, with the test's timeout for every wait.</summary>
    public Task<IPage> NewPageAsync() => NewPageAsync(DashboardUrl);

    /// <summary>Saves the page as <c>screenshots/&lt;name&gt;.png</c> in the test output.</summary>
    public static async Task ScreenshotAsync(IPage page, string name)
    {
        ArgumentNullException.ThrowIfNull(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(ScreenshotDirectory, name + ".png"), FullPage = true });
    }

    /// <summary>An HTTP client of the API with <paramref name="apiKey"/>, as any other client would call it.</summary>
    public HttpClient CreateApiClient(string apiKey)
    {
        var client = new HttpClient { BaseAddress = ApiUrl, Timeout = TestTimeouts.Default };
        client.DefaultRequestHeaders.Add("X-API-Key", apiKey);
        return client;
    }

    /// <summary>Starts the offline workflow through the API and answers the run's id.</summary>
    public async Task<string> StartRunAsync(string apiKey)
    {
        using var client = CreateApiClient(apiKey);
        using var response = await client.PostAsJsonAsync("/runs", new { yaml = OfflineWorkflow, input = "NDA" }, TestContext.Current.CancellationToken);
        response.EnsureSuccessStatusCode();
        var accepted = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>(TestContext.Current.CancellationToken);
        return accepted.GetProperty("run_id").GetString()!;
    }

    public async ValueTask DisposeAsync()
    {
        if (Browser is not null)
        {
            await Browser.DisposeAsync();
        }

        _playwright?.Dispose();
        await StopAsync(_dashboard);
        await StopAsync(_api);

        try
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is not worth failing a test run for.
        }
    }

    /// <summary>Stops and disposes a host a test started.</summary>
    public static async Task StopAsync(WebApplication? app)
    {
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
    }

    /// <summary>Where a started host listens.</summary>
    public static Uri AddressOf(WebApplication app) =>
        new(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
}
