namespace MeshFlow.Tools.Sandbox;

/// <summary>One program to run in the sandbox.</summary>
/// <param name="Program">The program's absolute path inside the sandbox (under <c>/usr</c>).</param>
/// <param name="Arguments">Its arguments, passed as they are (no shell sees them).</param>
/// <param name="StandardInput">What it reads on standard input; empty input when null.</param>
/// <param name="WorkingDirectory">Its working directory inside the sandbox (<c>/scratch</c> or <c>/workspace</c>).</param>
/// <param name="WorkspaceFolder">The host folder bound read-only at <c>/workspace</c>, when there is one.</param>
/// <param name="WallTimeout">How long it may run, wall clock; its CPU limit is the same number of seconds.</param>
internal sealed record SandboxRequest(
    string Program,
    IReadOnlyList<string> Arguments,
    string? StandardInput,
    string WorkingDirectory,
    string? WorkspaceFolder,
    TimeSpan WallTimeout);
