using System.CommandLine;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using MeshFlow.Api.Hosting;
using MeshFlow.Api.Security;
using MeshFlow.Cli.Embedded;
using MeshFlow.Cli.Output;
using MeshFlow.Cli.Serving;
using MeshFlow.Hosting;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

namespace MeshFlow.Cli.Commands;

/// <summary>
/// <c>meshflow serve</c>: the MeshFlow API in this process, in embedded mode (in-process queue, bus and worker, the
/// SQLite ledger in the data folder), over HTTP or, with a certificate, HTTPS only. Ctrl+C stops it cleanly.
/// </summary>
internal static class ServeCommand
{
    public const int DefaultPort = 5180;

    public static Command Create(GlobalOptions options)
    {
        var port = new Option<int>("--port", "-p") { Description = "The port to listen on (0 picks a free one)", DefaultValueFactory = _ => DefaultPort };
        port.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<int>() is < 0 or > 65535)
            {
                result.AddError("--port must be from 0 to 65535");
            }
        });
        var host = new Option<string>("--host")
        {
            Description = "The address to listen on: localhost, or an IP address (0.0.0.0 for every interface)", DefaultValueFactory = _ => ListenAddress.Localhost,
        };
        var certificate = new Option<string?>("--tls-cert") { Description = "A PEM certificate: serve HTTPS only (with --tls-key)" };
        var key = new Option<string?>("--tls-key") { Description = "The certificate's PEM private key" };

        var command = new Command("serve",
            "Serve the MeshFlow API in this process (embedded mode). --api-key becomes its only key (admin of the default tenant); " +
            $"without one, {ApiSecurityConfiguration.ApiKeys} is used, else a key is generated and printed once");
        command.Options.Add(port);
        command.Options.Add(host);
        command.Options.Add(certificate);
        command.Options.Add(key);
        command.SetAction(async (parse, cancellationToken) =>
        {
            var console = CliConsole.From(parse);
            var address = ListenAddress.Parse(parse.GetValue(host)!);
            using var tls = TlsCertificate.Load(parse.GetValue(certificate), parse.GetValue(key));
            var apiKey = parse.GetValue(options.ApiKey);
            if (apiKey is not null && (apiKey.Length == 0 || apiKey.Any(c => c is ':' or ',' || c is <= ' ' or > '~')))
            {
                throw new CliException("--api-key must be visible ASCII without ':' or ',' (it becomes the server's only key)", CliExitCodes.Usage);
            }

            var dataDirectory = Path.GetFullPath(options.DataDirectoryPath(parse));
            PrivateFolder.Ensure(dataDirectory);
            var verbose = parse.GetValue(options.Verbose);
            var listenPort = parse.GetValue(port);

            await using var app = MeshFlowApiHost.Build(
                [
                    $"--{MeshFlowLedgerServiceCollectionExtensions.DataDirectoryKey}={dataDirectory}",
                    // Embedded mode always: a server's connection strings in the environment are not this command's.
                    "--ConnectionStrings:ledger=", "--ConnectionStrings:redis=",
                ],
                builder =>
                {
                    if (apiKey is not null)
                    {
                        builder.Configuration.AddInMemoryCollection([
                            new(ApiSecurityConfiguration.ApiKeys, $"{apiKey}::{MeshFlowClaims.AdminRole}"),
                            new(ApiSecurityConfiguration.ApiKeysFile, ""),
                        ]);
                    }

                    // Logs go to standard error (warnings, or everything with --verbose); standard output carries the
                    // generated key and where the server listens.
                    builder.Logging.SetMinimumLevel(verbose ? LogLevel.Information : LogLevel.Warning);
                    builder.Services.Configure<ConsoleLoggerOptions>(console => console.LogToStandardErrorThreshold = LogLevel.Trace);
                    builder.WebHost.ConfigureKestrel(kestrel => Listen(kestrel, address, listenPort, tls));
                });
            await MeshFlowApiHost.PrepareAsync(app);
            try
            {
                await app.StartAsync(cancellationToken);
            }
            catch (IOException ex)
            {
                throw new CliException($"cannot listen on {parse.GetValue(host)} port {listenPort}: {ex.Message.TrimEnd('.')}; pass another --port", CliExitCodes.Failure, ex);
            }

            var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
            // Endpoints from Kestrel's own configuration (appsettings.json, Kestrel__Endpoints__...) are served too;
            // with TLS asked for, plain HTTP on any of them would be a silent downgrade.
            if (tls is not null && addresses.FirstOrDefault(a => !a.StartsWith("https://", StringComparison.OrdinalIgnoreCase)) is { } plain)
            {
                await app.StopAsync(CancellationToken.None);
                throw new CliException($"TLS was asked for, but Kestrel's configuration also listens on {plain} without it: remove that endpoint (Kestrel:Endpoints)");
            }

            foreach (var listening in addresses)
            {
                await console.Out.WriteLineAsync($"MeshFlow API listening on {listening}");
            }

            await console.Out.WriteLineAsync($"embedded mode: ledger, signing key and API key hashes in {dataDirectory}; Ctrl+C stops");
            await console.Out.FlushAsync(CancellationToken.None);
            await app.WaitForShutdownAsync(cancellationToken);
            await console.Out.WriteLineAsync("MeshFlow API stopped");
            return CliExitCodes.Success;
        });
        return command;
    }

    private static void Listen(KestrelServerOptions kestrel, IPAddress? address, int port, X509Certificate2? certificate)
    {
        Action<ListenOptions> https = listen =>
        {
            if (certificate is not null)
            {
                listen.UseHttps(certificate);
            }
        };

        if (address is not null)
        {
            kestrel.Listen(address, port, https);
        }
        else if (port == 0)
        {
            // Kestrel picks a free port on one address only.
            kestrel.Listen(IPAddress.Loopback, 0, https);
        }
        else
        {
            kestrel.ListenLocalhost(port, https);
        }
    }
}
