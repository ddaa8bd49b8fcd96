using System.Diagnostics;
using System.Runtime.ExceptionServices;
using System.Text;
using System.Threading.Channels;
using MeshFlow.Cli.Output;
using MeshFlow.Events;
using MeshFlow.Governance;
using MeshFlow.Runs;
using Spectre.Console;

namespace MeshFlow.Cli.Runs;

/// <summary>
/// Shows a run as it happens: each step's start, its tokens live, its verdict (coloured), tokens, cost and duration,
/// then the run's status, output and id. One step streams at a time; what parallel steps say meanwhile is held and
/// shown in one piece when they end. At an interactive console, a spinner with the run's progress fills the waits.
/// </summary>
internal sealed class RunRenderer(CliConsole console)
{
    private readonly Dictionary<string, StepState> _steps = new(StringComparer.Ordinal);
    private readonly Queue<StepEndEvent> _ended = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private string? _live;
    private bool _atLineStart = true;
    private int _stepsEnded;
    private long _tokens;
    private decimal _cost;
    private HitlPauseEvent? _pause;
    private StepEndEvent? _stopper;
    private ErrorEvent? _error;

    /// <summary>Shows the events up to their <c>run_end</c>; null when they stopped before one.</summary>
    public async Task<RunOutcome?> RenderAsync(IAsyncEnumerable<MeshEvent> events, CancellationToken cancellationToken)
    {
        // The events are read ahead, so that a quiet spell (a slow model, a long tool) can be filled with progress.
        var channel = Channel.CreateUnbounded<MeshEvent>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var reading = Task.Run(async () =>
        {
            try
            {
                await foreach (var evt in events.WithCancellation(cancellationToken))
                {
                    await channel.Writer.WriteAsync(evt, cancellationToken);
                }

                channel.Writer.Complete();
            }
            catch (Exception ex)
            {
                channel.Writer.Complete(ex);
            }
        }, CancellationToken.None);

        try
        {
            while (true)
            {
                var next = channel.Reader.ReadAsync(CancellationToken.None).AsTask();
                if (!next.IsCompleted && console.Interactive && _atLineStart)
                {
                    await RunProgress.ShowWhileAsync(console, next, Progress);
                }

                MeshEvent evt;
                try
                {
                    evt = await next;
                }
                catch (ChannelClosedException closed) when (closed.InnerException is { } failure)
                {
                    ExceptionDispatchInfo.Throw(failure);
                    throw;
                }
                catch (ChannelClosedException)
                {
                    return null;
                }

                if (Show(evt) is { } end)
                {
                    return new RunOutcome(end.RunId, end, _pause, _stopper);
                }
            }
        }
        finally
        {
            await reading;
        }
    }

    /// <summary>Prints how the run ended: status and totals, the reason when it did not complete, its output and its id.</summary>
    public void ShowSummary(RunOutcome outcome)
    {
        EndLine();
        var end = outcome.End;
        var status = WireNames.Of(end.Status);
        var totals = $" · {Count(_stepsEnded, "step")} · {Formats.Tokens(end.Tokens.Total)} tokens · {Formats.Cost(end.CostUsd)} · " +
            Formats.Duration(_clock.Elapsed.TotalMilliseconds);
        console.Ansi.MarkupLine($"{VerdictStyle.Markup(status)}{Markup.Escape(totals)}");
        // A step's block was told on its line; other failures are told here.
        if (end.Status is not (RunStatus.Completed or RunStatus.Paused) && outcome.Stopper is null && end.Error is { } error)
        {
            console.Ansi.Write(new Text($"reason: {error.Message}{(error.NodeId is { } node ? $" (node {node})" : "")}"));
            console.Ansi.WriteLine();
        }

        if (end.Output.Length > 0)
        {
            console.Out.WriteLine("output:");
            console.Out.WriteLine(end.Output);
        }

        console.Out.WriteLine($"run_id: {outcome.RunId}");
        console.Out.Flush();
    }

    // One event; the run_end when it is one.
    private RunEndEvent? Show(MeshEvent evt)
    {
        // An error is held for one event: the run's own failure comes again in its run_end, and is told once, there.
        if (_error is { } error && (evt is not RunEndEvent ending || ending.Error?.Message != error.Message))
        {
            Line($"error ({error.Code}): {error.Message}", markup: "red");
        }

        _error = null;
        switch (evt)
        {
            case RunStartEvent start:
                Line($"run {start.RunId}: workflow '{start.Workflow}', policy {start.Policy}", dim: true);
                break;
            case StepStartEvent start:
                var state = State(start.StepId);
                state.Start = start;
                if (_live is null)
                {
                    GoLive(start.StepId!, state);
                }

                break;
            case TokenDeltaEvent delta:
                Delta(delta);
                break;
            case ToolCallEvent call when IsShown(call.StepId):
                Line($"  -> tool {call.Name}({Shorten(call.Arguments)})", dim: true);
                break;
            case ToolResultEvent result when IsShown(result.StepId):
                Line($"  <- tool result: {Shorten(result.Result)}", dim: true);
                break;
            case StepEndEvent end:
                StepEnded(end);
                break;
            case HitlPauseEvent pause:
                _pause = pause;
                Line($"step {pause.StepId} waits for a human: {pause.Reason}", markup: "orange1");
                break;
            case HitlResolvedEvent resolved:
                Line($"step {resolved.StepId} {resolved.Decision} by {resolved.ReviewerId}", markup: resolved.Decision == "approved" ? "green" : "red");
                break;
            case ErrorEvent failure:
                _error = failure;
                break;
            case RunEndEvent runEnd:
                return runEnd;
        }

        return null;
    }

    private bool IsShown(string? stepId) => stepId is null || stepId == _live;

    private void Delta(TokenDeltaEvent delta)
    {
        var stepId = delta.StepId ?? "";
        var state = State(delta.StepId);
        if (_live is null)
        {
            GoLive(stepId, state);
        }

        if (_live == stepId)
        {
            Write(delta.Text);
        }
        else
        {
            state.Held.Append(delta.Text);
        }
    }

    private void StepEnded(StepEndEvent end)
    {
        var stepId = end.StepId ?? "";
        _stepsEnded++;
        _tokens += end.Tokens.Total;
        _cost += end.CostUsd;
        if (end.Verdict != Verdict.Commit)
        {
            _stopper = end;
        }

        if (_live is not null && _live != stepId)
        {
            // A parallel step ended while another streams: it is shown whole once that one ends.
            _ended.Enqueue(end);
            return;
        }

        if (_live is null)
        {
            Header(stepId, State(end.StepId));
            Write(end.Output);
        }

        EndStep(end);
        _live = null;
        while (_ended.TryDequeue(out var parallel))
        {
            var parallelId = parallel.StepId ?? "";
            Header(parallelId, State(parallel.StepId));
            Write(parallel.Output);
            EndStep(parallel);
        }

        // The next step already under way takes the stream, starting with what it said meanwhile.
        if (_steps.FirstOrDefault(s => s.Value.Start is not null || s.Value.Held.Length > 0) is { Key: { } next, Value: { } waiting })
        {
            GoLive(next, waiting);
        }
    }

    private void EndStep(StepEndEvent end)
    {
        EndLine();
        var stepId = end.StepId ?? "";
        var verdict = WireNames.Of(end.Verdict);
        var reason = end.BlockReason is { } why ? $" ({WireNames.Of(why)}{(end.BlockDetail is { Length: > 0 } detail ? $": {detail}" : "")})" : "";
        var totals = $" · {Formats.Tokens(end.Tokens.Total)} tokens · {Formats.Cost(end.CostUsd)} · {Formats.Duration(end.DurationMs)}";
        console.Ansi.MarkupLine($"{Markup.Escape($"step {stepId} ")}{VerdictStyle.Markup(verdict)}{Markup.Escape(reason)}[grey]{Markup.Escape(totals)}[/]");
        console.Out.Flush();
        _steps.Remove(stepId);
    }

    private void GoLive(string stepId, StepState state)
    {
        _live = stepId;
        Header(stepId, state);
        if (state.Held.Length > 0)
        {
            Write(state.Held.ToString());
            state.Held.Clear();
        }
    }

    private void Header(string stepId, StepState state)
    {
        EndLine();
        var start = state.Start;
        var who = start?.AgentId is { } agent ? $"agent {agent}" : start?.NodeId is { } node ? $"node {node}" : null;
        var model = start?.Model switch
        {
            null => null,
            "offline" when start.Offline => "the offline model",
            var name when start.Offline => $"model {name} (offline)",
            var name => $"model {name}",
        };
        var about = string.Join(", ", new[] { who, model }.OfType<string>());
        Line($"step {stepId} started{(about.Length > 0 ? $": {about}" : "")}", markup: "bold");
    }

    private StepState State(string? stepId)
    {
        var key = stepId ?? "";
        if (!_steps.TryGetValue(key, out var state))
        {
            _steps[key] = state = new StepState();
        }

        return state;
    }

    private void Write(string text)
    {
        if (text.Length == 0)
        {
            return;
        }

        // Model text is printed as it is: never read as markup.
        console.Out.Write(text);
        console.Out.Flush();
        _atLineStart = text[^1] == '\n';
    }

    private void EndLine()
    {
        if (!_atLineStart)
        {
            console.Out.WriteLine();
            _atLineStart = true;
        }
    }

    private void Line(string text, bool dim = false, string? markup = null)
    {
        EndLine();
        var style = dim ? "grey" : markup;
        console.Ansi.MarkupLine(style is null ? Markup.Escape(text) : $"[{style}]{Markup.Escape(text)}[/]");
        console.Out.Flush();
    }

    private string Progress()
    {
        var running = _live ?? _steps.Keys.FirstOrDefault(k => k.Length > 0);
        var doing = _pause is not null ? "waiting for a human" : running is not null ? $"running {running}" : "working";
        return $"{doing} · {Count(_stepsEnded, "step")} done · {Formats.Tokens(_tokens)} tokens · {Formats.Cost(_cost)} · " +
            Formats.Duration(_clock.Elapsed.TotalMilliseconds);
    }

    private static string Shorten(string text)
    {
        var line = text.ReplaceLineEndings(" ");
        return line.Length > 160 ? line[..160] + "..." : line;
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";

    private sealed class StepState
    {
        public StepStartEvent? Start { get; set; }

        public StringBuilder Held { get; } = new();
    }
}
