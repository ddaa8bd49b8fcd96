namespace MeshFlow.Ledger;

/// <summary>The kinds of ledger records.</summary>
public static class LedgerRecordKinds
{
    /// <summary>The first record of a run: its input, policy and workflow digest.</summary>
    public const string RunStart = "run_start";

    /// <summary>One step: its task, full output, tool calls, verdict, tokens, cost and duration.</summary>
    public const string Step = "step";

    /// <summary>The last record of a run: its status, output and error.</summary>
    public const string RunEnd = "run_end";
}
