using System.Diagnostics;

namespace MeshFlow.Cli.Tests.Support;

/// <summary>Runs <c>docs/evidence/verify_bundle.py</c>, the standard-library Python verifier, on a bundle.</summary>
internal static class PythonVerifier
{
    public static async Task<CliResult> VerifyAsync(string bundle, string? publicKey, CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo("python3") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Path.Combine(MeshFlowCli.RepositoryRoot, "docs", "evidence", "verify_bundle.py"));
        info.ArgumentList.Add(bundle);
        if (publicKey is not null)
        {
            info.ArgumentList.Add("--public-key");
            info.ArgumentList.Add(publicKey);
        }

        using var process = Process.Start(info) ?? throw new InvalidOperationException("python3 did not start");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).WaitAsync(TestTimeouts.Default, cancellationToken);
        return new CliResult(process.ExitCode, await output, await error);
    }
}
