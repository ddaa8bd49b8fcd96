using MeshFlow.Runs;

namespace MeshFlow.Governance;

/// <summary>What a run has spent: steps, tokens and dollars. Safe to use from concurrent branches.</summary>
public sealed class RunBudget
{
    private readonly Lock _gate = new();
    private int _steps;
    private long _inputTokens;
    private long _outputTokens;
    private bool _estimated;
    private decimal _costUsd;

    /// <summary>Steps started so far, the current one included once it has been reserved.</summary>
    public int Steps => Volatile.Read(ref _steps);

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
    public bool TryReserveStep(int maxSteps)
    {
        while (true)
        {
            var current = Volatile.Read(ref _steps);
            if (maxSteps > 0 && current >= maxSteps)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _steps, current + 1, current) == current)
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
