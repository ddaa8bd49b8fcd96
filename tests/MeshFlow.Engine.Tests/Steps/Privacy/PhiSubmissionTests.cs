using System.Text.Json;
using MeshFlow.Declarative;
using MeshFlow.Ledger;
using MeshFlow.Runtime;
using MeshFlow.Runtime.InProcess;
using MeshFlow.Tests.Support;

namespace MeshFlow.Tests.Steps.Privacy;

/// <summary>A submitted run under scrub_phi: the ledger's run_start holds its input and metadata scrubbed; only the queued request carries the original to a worker.</summary>
public sealed class PhiSubmissionTests
{
    private const string Definition = """
        name: intake
        policy: hipaa
        nodes:
          - id: intake
            model: offline
        """;

    [Fact]
    public async Task The_recorded_request_is_scrubbed_and_the_queued_one_keeps_the_original_for_the_worker()
    {
        await using var ledger = await TestLedger.OpenSqliteAsync();
        var queue = new InProcessRunQueue();
        var submitter = new RunSubmitter(ledger.Ledger, queue);
        using var metadata = JsonDocument.Parse("""{"ticket": "SSN 123-45-6789 on file", "Maria Gonzalez": {"phone": "(617) 555-0142"}}""");

        var submitted = await submitter.SubmitAsync(new RunSubmission
        {
            TenantId = "acme", Workflow = WorkflowYaml.Load(Definition), Definition = Definition,
            Input = "New patient, SSN 123-45-6789.", Metadata = metadata.RootElement.Clone(),
        }, TestContext.Current.CancellationToken);

        var start = LedgerPayloads.ReadRunStart((await ledger.Store.ReadRecordsAsync("acme", submitted.RunId, TestContext.Current.CancellationToken))[0].Payload);
        Assert.Equal("New patient, SSN [PHI-REDACTED:SSN].", start.Input);
        var recordedMetadata = start.Metadata!.Value.GetRawText();
        foreach (var identifier in new[] { "123-45-6789", "Maria Gonzalez", "(617) 555-0142" })
        {
            Assert.DoesNotContain(identifier, recordedMetadata, StringComparison.Ordinal);
        }

        var queued = Assert.Single(await queue.ReadAsync("worker", 1, TestTimeouts.Default, TestContext.Current.CancellationToken));
        Assert.Equal("New patient, SSN 123-45-6789.", queued.Request.Input);
    }
}
