using System.Runtime.InteropServices;
using MeshFlow.LoadTest;
using MeshFlow.LoadTest.Measurements;
using MeshFlow.LoadTest.Reporting;
using MeshFlow.LoadTest.Topology;

// Boots the whole AppHost, runs the chosen measurements against it (sse-memory on a topology of its own), prints the
// figures, stops every process.
// `dotnet run -c Release --project benchmarks/MeshFlow.LoadTest -- [first-token] [relay] [throughput] [sse-memory] [options]`
if (args is ["--help" or "-h" or "help"])
{
    Console.WriteLine(LoadTestOptions.Usage);
    return 0;
}

GeneratorSockets.UseInlineCompletions();

LoadTestOptions options;
try
{
    options = LoadTestOptions.Parse(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    Console.Error.WriteLine(LoadTestOptions.Usage);
    return 2;
}

// Ctrl+C or SIGTERM: stop measuring, then stop the topology in order (never leave its servers behind).
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext context)
{
    context.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);

if (options.ServiceLogs is { } serviceLogs)
{
    File.Delete(serviceLogs);
}

var results = new ResultTable();
var log = Console.Out;
var exitCode = 0;
// Before the topology starts: Linux groups a session's threads when the session is made.
using var autogroup = SchedulerAutogroup.TurnOff(options.KeepAutogroup);
log.WriteLine(autogroup.State);
try
{
    // The SSE memory figure is an RSS difference: it needs an api whose heap the other measurements' load has not
    // grown, so it gets a topology of its own.
    var sessions = options.Measurements.GroupBy(m => m == LoadTestOptions.SseMemory).Select(g => g.ToList()).ToList();
    foreach (var session in sessions)
    {
        await using var topology = await LoadTopology.StartAsync(options, log, stop.Token);
        await ColdStart.RunAsync(topology, results, log, stop.Token);
        foreach (var measurement in session)
        {
            Func<LoadTopology, LoadTestOptions, ResultTable, TextWriter, CancellationToken, Task> run = measurement switch
            {
                LoadTestOptions.FirstToken => FirstTokenMeasurement.RunAsync,
                LoadTestOptions.Relay => RelayMeasurement.RunAsync,
                LoadTestOptions.Throughput => ThroughputMeasurement.RunAsync,
                _ => SseMemoryMeasurement.RunAsync,
            };
            try
            {
                await run(topology, options, results, log, stop.Token);
            }
            catch (Exception e) when (e is not OperationCanceledException || !stop.IsCancellationRequested)
            {
                // One measurement failing (a timeout, the api refusing) still leaves the others' figures worth printing.
                log.WriteLine($"  {measurement} failed: {e}");
                results.Add(measurement, "failed", e.GetType().Name, string.Empty, e.Message);
                exitCode = 1;
            }

            log.WriteLine();
        }
    }
}
catch (OperationCanceledException) when (stop.IsCancellationRequested)
{
    log.WriteLine("stopped");
    exitCode = 130;
}
catch (TopologyUnavailableException e)
{
    Console.Error.WriteLine($"error: {e.Message}");
    exitCode = 3;
}

log.WriteLine();
results.Print(log);
log.WriteLine(autogroup.State);
log.WriteLine();

// DCP stops the services as the AppHost stops; give the last of them a moment to exit, then say if any is left.
// DCP itself watches this process (--monitor) and exits with it.
static List<ProcessInfo> Services() => [.. LoadTopology.Leftovers().Where(p => p.Role != "dcp")];
var leftovers = Services();
for (var wait = 0; wait < 60 && leftovers.Count > 0; wait++)
{
    await Task.Delay(TimeSpan.FromMilliseconds(250));
    leftovers = Services();
}

log.WriteLine(leftovers.Count == 0
    ? "topology stopped: none of its services is left (DCP exits with this process)"
    : "still running after stop: " + string.Join("; ", leftovers.Select(p => $"{p.Pid} {p.Name} {p.CommandLine}")));
return exitCode;
