using System.Globalization;

namespace MeshFlow.LoadTest;

/// <summary>What to measure and for how long; parsed from the command line (<c>-- throughput --duration 30</c>).</summary>
internal sealed class LoadTestOptions
{
    public const string Throughput = "throughput";
    public const string FirstToken = "first-token";
    public const string Relay = "relay";
    public const string SseMemory = "sse-memory";

    // The order "all" runs them in: the quiet measurement first, the one that leaves runs to cancel last.
    public static readonly string[] AllMeasurements = [FirstToken, Relay, Throughput, SseMemory];

    public IReadOnlyList<string> Measurements { get; private set; } = AllMeasurements;

    /// <summary>Throughput: concurrent clients, each looping <c>POST /stream</c>.</summary>
    public int Clients { get; private set; } = 128;

    /// <summary>
    /// Throughput: the shortest warm-up; it goes on until the services' JIT has settled, up to <see cref="MaximumWarmup"/>
    /// (run after 20 s regardless, on a slow day the JIT still took a quarter of the CPU and the figure was under half).
    /// </summary>
    public TimeSpan Warmup { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>Throughput and relay: the longest warm-up, whether or not the services' JIT has settled by then.</summary>
    public TimeSpan MaximumWarmup { get; private set; } = TimeSpan.FromSeconds(180);

    public TimeSpan Duration { get; private set; } = TimeSpan.FromSeconds(20);

    /// <summary>Throughput through <c>POST /runs</c> + <c>GET /runs/{id}/events</c> instead of <c>POST /stream</c>.</summary>
    public bool ThroughputViaRuns { get; private set; }

    /// <summary>First token: sequential measured requests, after <see cref="FirstTokenWarmup"/> unmeasured ones.</summary>
    public int FirstTokenRequests { get; private set; } = 200;

    public int FirstTokenWarmup { get; private set; } = 20;

    /// <summary>Relay: concurrent streams, each looping <c>POST /stream</c>.</summary>
    public int RelayClients { get; private set; } = 100;

    public TimeSpan RelayWarmup { get; private set; } = TimeSpan.FromSeconds(20);

    public TimeSpan RelayDuration { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Relay, second pass: milliseconds between the fake LLM's tokens (0 skips the paced pass).</summary>
    public int RelayPaceMs { get; private set; } = 20;

    /// <summary>Relay: also time each token delta at a Redis subscriber of the generator's own (worker + Redis, without the api).</summary>
    public bool RelaySplit { get; private set; }

    /// <summary>Relay: read the streams with <see cref="Client.RawStreamClient"/> (a blocking socket per stream) rather than HttpClient.</summary>
    public bool RelayRawClient { get; private set; }

    /// <summary>Relay: write every timed delta (pass, when it was read, its latency) to this CSV file; null: no file.</summary>
    public string? RelayDump { get; private set; }

    /// <summary>Relay: only the paced pass.</summary>
    public bool RelayPacedOnly { get; private set; }

    /// <summary>SSE memory: streams held open at once.</summary>
    public int Streams { get; private set; } = 1000;

    /// <summary>SSE memory: how long the streams are held before the api's memory is read.</summary>
    public TimeSpan Hold { get; private set; } = TimeSpan.FromSeconds(10);

    /// <summary>Where to write every service's log (api, workers, postgres, redis, ...); null: nowhere.</summary>
    public string? ServiceLogs { get; private set; }

    /// <summary>Measure with Linux's autogroup scheduling as the machine has it (see <see cref="Topology.SchedulerAutogroup"/>).</summary>
    public bool KeepAutogroup { get; private set; }

    /// <summary>Send the load through Aspire's (DCP's) proxy in front of the api rather than to the api's own port.</summary>
    public bool ViaProxy { get; private set; }

    /// <summary>
    /// Environment variables given to the api and the workers (a runtime knob tried without rebuilding), each with the
    /// service it is for: <c>api</c>, <c>worker</c>, or null for both.
    /// </summary>
    public IReadOnlyList<(string? Service, string Name, string Value)> ServiceEnvironment => _serviceEnvironment;

    private readonly List<(string? Service, string Name, string Value)> _serviceEnvironment = [];

    public static string Usage => """
        usage: dotnet run -c Release --project benchmarks/MeshFlow.LoadTest -- [measurement...] [options]
          measurements (default: all): first-token relay throughput sse-memory
          --clients N             throughput: concurrent clients (128)
          --warmup S              throughput: shortest warm-up, in seconds; it lasts until the services' JIT settles (20)
          --warmup-max S          throughput and relay: longest warm-up, settled or not (180)
          --duration S            throughput: measured seconds (20)
          --via-runs              throughput: POST /runs + GET /runs/{id}/events instead of POST /stream
          --requests N            first-token: measured sequential requests (200)
          --first-warmup N        first-token: unmeasured requests first (20)
          --relay-clients N       relay: concurrent streams (100)
          --relay-warmup S        relay: shortest warm-up of each pass, in seconds, as --warmup (20)
          --relay-duration S      relay: measured seconds (10)
          --relay-pace MS         relay: ms between the paced LLM's tokens; 0 skips the paced pass (20)
          --relay-split           relay: also time the deltas at a Redis subscriber of the generator's own
          --relay-paced-only      relay: skip the offline pass
          --relay-raw-client      relay: read each stream on a thread of its own with blocking socket reads
          --relay-dump FILE       relay: append every timed delta (pass, stream, read time, latency) to a CSV file
          --streams N             sse-memory: SSE streams held open (1000)
          --hold S                sse-memory: seconds the streams are held before memory is read (10)
          --via-proxy             send the load through DCP's proxy in front of the api (default: the api's own port)
          --keep-autogroup        leave Linux's autogroup scheduling on, if it is (default: off for the run, as root)
          --service-logs FILE     write every service's log (api, workers, postgres, redis) to FILE
          --service-env [api:|worker:]NAME=VAL
                                  set an environment variable in the api and the workers, or only the one named
                                  (repeatable)
        """;

    public static LoadTestOptions Parse(IReadOnlyList<string> args)
    {
        var options = new LoadTestOptions();
        var measurements = new List<string>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            switch (arg)
            {
                case Throughput or FirstToken or Relay or SseMemory:
                    measurements.Add(arg);
                    break;
                case "all":
                    measurements.AddRange(AllMeasurements);
                    break;
                case "--clients":
                    options.Clients = Count(args, ref i);
                    break;
                case "--warmup":
                    options.Warmup = Seconds(args, ref i);
                    break;
                case "--warmup-max":
                    options.MaximumWarmup = Seconds(args, ref i);
                    break;
                case "--duration":
                    options.Duration = Seconds(args, ref i);
                    break;
                case "--via-runs":
                    options.ThroughputViaRuns = true;
                    break;
                case "--requests":
                    options.FirstTokenRequests = Count(args, ref i);
                    break;
                case "--first-warmup":
                    options.FirstTokenWarmup = Count(args, ref i, allowZero: true);
                    break;
                case "--relay-clients":
                    options.RelayClients = Count(args, ref i);
                    break;
                case "--relay-warmup":
                    options.RelayWarmup = Seconds(args, ref i);
                    break;
                case "--relay-duration":
                    options.RelayDuration = Seconds(args, ref i);
                    break;
                case "--relay-pace":
                    options.RelayPaceMs = Count(args, ref i, allowZero: true);
                    break;
                case "--relay-split":
                    options.RelaySplit = true;
                    break;
                case "--relay-raw-client":
                    options.RelayRawClient = true;
                    break;
                case "--relay-dump":
                    options.RelayDump = Path.GetFullPath(Value(args, ref i));
                    break;
                case "--relay-paced-only":
                    options.RelayPacedOnly = true;
                    break;
                case "--streams":
                    options.Streams = Count(args, ref i);
                    break;
                case "--hold":
                    options.Hold = Seconds(args, ref i);
                    break;
                case "--service-logs":
                    options.ServiceLogs = Path.GetFullPath(Value(args, ref i));
                    break;
                case "--via-proxy":
                    options.ViaProxy = true;
                    break;
                case "--keep-autogroup":
                    options.KeepAutogroup = true;
                    break;
                case "--service-env":
                    var setting = Value(args, ref i);
                    string? service = null;
                    if (setting.StartsWith("api:", StringComparison.Ordinal) || setting.StartsWith("worker:", StringComparison.Ordinal))
                    {
                        service = setting[..setting.IndexOf(':', StringComparison.Ordinal)];
                        setting = setting[(service.Length + 1)..];
                    }

                    var equals = setting.IndexOf('=', StringComparison.Ordinal);
                    if (equals < 1)
                    {
                        throw new ArgumentException($"--service-env takes [api:|worker:]NAME=VALUE, not '{setting}'");
                    }

                    options._serviceEnvironment.Add((service, setting[..equals], setting[(equals + 1)..]));
                    break;
                default:
                    throw new ArgumentException($"unknown argument '{arg}'");
            }
        }

        if (measurements.Count > 0)
        {
            // Whatever order they were asked in, they run in the order of "all".
            options.Measurements = [.. AllMeasurements.Where(measurements.Contains)];
        }

        return options;
    }

    private static string Value(IReadOnlyList<string> args, ref int i) =>
        ++i < args.Count ? args[i] : throw new ArgumentException($"'{args[i - 1]}' needs a value");

    private static int Count(IReadOnlyList<string> args, ref int i, bool allowZero = false)
    {
        var text = Value(args, ref i);
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && (value > 0 || (allowZero && value == 0))
            ? value
            : throw new ArgumentException($"'{args[i - 1]}' needs a whole number{(allowZero ? string.Empty : " above 0")}, not '{text}'");
    }

    private static TimeSpan Seconds(IReadOnlyList<string> args, ref int i)
    {
        var text = Value(args, ref i);
        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value >= 0
            ? TimeSpan.FromSeconds(value)
            : throw new ArgumentException($"'{args[i - 1]}' needs seconds, not '{text}'");
    }
}
