using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>What a run has spent: steps, tokens and dollars. Safe to use from concurrent branches.</summary>
public sealed class RunBudget
{
    private readonly Lock _gate = new();
    private int _steps;
    private int _toolCalls;
    private long _inputTokens;
    private long _outputTokens;
    private bool _estimated;
    private decimal _costUsd;

    /// <summary>Steps started so far, the current one included once it has been reserved.</summary>
    public int Steps => Volatile.Read(ref _steps);

    /// <summary>Tool calls started so far.</summary>
    public int ToolCalls => Volatile.Read(ref _toolCalls);

    /// <summary>Tokens used so far.</summary>
    public TokenUsage Tokens
    {
        get
        {
            lock (_gate)
            {
                return new TokenUsage(_inputTokens, _outputTokens, _estimated);
            }
        }
    }

    /// <summary>Dollars spent so far.</summary>
    public decimal CostUsd
    {
        get
        {
            lock (_gate)
            {
                return _costUsd;
            }
        }
    }

    /// <summary>
    /// Counts one more step unless that would pass <paramref name="maxSteps"/> (0 = no limit). Atomic, so
    /// concurrent branches can never start more steps than the limit allows.
    /// </summary>
    public bool TryReserveStep(int maxSteps) => TryReserve(ref _steps, maxSteps);

    /// <summary>Counts one more tool call unless that would pass <paramref name="maxToolCalls"/> (0 = no limit); atomic.</summary>
    public bool TryReserveToolCall(int maxToolCalls) => TryReserve(ref _toolCalls, maxToolCalls);

    private static bool TryReserve(ref int counter, int max)
    {
        while (true)
        {
            var current = Volatile.Read(ref counter);
            if (max > 0 && current >= max)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref counter, current + 1, current) == current)
            {
                return true;
            }
        }
    }

    /// <summary>Adds a finished step's usage and cost.</summary>
    public void Add(TokenUsage tokens, decimal costUsd)
    {
        lock (_gate)
        {
            _inputTokens += tokens.Input;
            _outputTokens += tokens.Output;
            _estimated |= tokens.Estimated;
            _costUsd += costUsd;
        }
    }
}
