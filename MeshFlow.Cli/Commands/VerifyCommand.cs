using System.CommandLine;
using MeshFlow.Cli.History;
using MeshFlow.Cli.Output;
using MeshFlow.Ledger.Evidence;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// <c>meshflow verify</c>: checks an evidence bundle offline with the ledger's own verifier, or exports a run (server or
/// embedded) and checks that. Prints the verdict line <c>docs/evidence/verify_bundle.py</c> prints: exit 0 valid, 1
/// invalid (naming the first bad record and why), 2 for a file that is not a bundle or a bad key file.
/// </summary>
internal static class VerifyCommand
{
    /// <summary>The exit code of a file that is not a bundle, or a key file that holds no key (as verify_bundle.py answers).</summary>
    private const int Unreadable = CliExitCodes.Usage;

    public static Command Create(GlobalOptions options)
    {
        var target = new Argument<string>("bundle_or_run") { Description = "An evidence bundle file, or a run id (run_...) to export and verify" };
        var publicKeys = new Option<string[]>("--public-key")
        {
            Description = "A file with the service's Ed25519 public key (base64 or PEM) to check the head against; repeat for rotated keys. " +
                "Get it with 'meshflow admin keys ledger'",
            AllowMultipleArgumentsPerToken = false,
        };
        var tenant = RunHistories.TenantOption();
        var command = new Command("verify", "Verify an evidence bundle offline (or a run's, exported first): valid, or the first bad record and why");
        command.Arguments.Add(target);
        command.Options.Add(publicKeys);
        command.Options.Add(tenant);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            var trusted = LoadKeys(parse.GetValue(publicKeys) ?? []);
            var what = parse.GetValue(target)!;
            byte[] json;
            if (File.Exists(what))
            {
                json = await File.ReadAllBytesAsync(what, cancellationToken);
            }
            else if (what.StartsWith("run_", StringComparison.Ordinal))
            {
                await using var history = await RunHistories.OpenAsync(options, parse, tenant, console, cancellationToken);
                json = await history.ExportAsync(what, hashesOnly: false, cancellationToken);
            }
            else
            {
                throw new CliException($"'{what}' is neither a bundle file nor a run id (run_...)", Unreadable);
            }

            EvidenceVerification result;
            try
            {
                result = EvidenceBundles.Verify(EvidenceBundles.Read(json), trusted);
            }
            catch (EvidenceFormatException ex)
            {
                throw new CliException($"{what}: {ex.Message}", Unreadable, ex);
            }

            await console.Out.WriteLineAsync(result.Summary);
            if (result.Valid && result.KeysFromBundle && result.HeadSigned)
            {
                console.Warn("the head was checked against the key inside the bundle, which whoever made the file could have replaced: " +
                    "pin the service's key with --public-key (get it with 'meshflow admin keys ledger')");
            }

            return result.Valid ? CliExitCodes.Success : CliExitCodes.Failure;
        });
        return command;
    }

    private static IReadOnlyDictionary<string, byte[]>? LoadKeys(string[] files)
    {
        if (files.Length == 0)
        {
            return null;
        }

        var keys = new List<EvidencePublicKey>();
        foreach (var file in files)
        {
            try
            {
                keys.Add(EvidencePublicKeys.Load(file));
            }
            catch (Exception ex) when (ex is FormatException or IOException or UnauthorizedAccessException)
            {
                throw new CliException($"--public-key {file}: {(ex is FileNotFoundException ? "does not exist" : ex.Message)}", Unreadable, ex);
            }
        }

        return EvidencePublicKeys.ById(keys);
    }
}
