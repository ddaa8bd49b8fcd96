using System.Reflection;
using MeshFlow.Ledger;

namespace MeshFlow.Tests.Support;

/// <summary>
/// A real ledger store whose appends (and head signatures) fail while told to, as if the database had become
/// unreachable: everything else is passed through unchanged.
/// </summary>
public class FaultyLedgerStore : DispatchProxy
{
    private ILedgerStore _inner = null!;

    /// <summary>Appends of records it returns true for fail (nothing is written).</summary>
    public Func<LedgerRecord, bool> FailAppend { get; set; } = _ => false;

    /// <summary>Saving a signed head fails (nothing is written).</summary>
    public bool FailSaveHead { get; set; }

    public static (ILedgerStore Store, FaultyLedgerStore Faults) Wrap(ILedgerStore inner)
    {
        var store = Create<ILedgerStore, FaultyLedgerStore>();
        var faults = (FaultyLedgerStore)(object)store;
        faults._inner = inner;
        return (store, faults);
    }

    protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
    {
        ArgumentNullException.ThrowIfNull(targetMethod);
        if (targetMethod.Name == nameof(ILedgerStore.AppendAsync) && args?[0] is LedgerRecord record && FailAppend(record))
        {
            return Task.FromException<AppendOutcome>(new InvalidOperationException("the ledger database is unreachable"));
        }

        if (targetMethod.Name == nameof(ILedgerStore.SaveHeadAsync) && FailSaveHead)
        {
            return Task.FromException(new InvalidOperationException("the ledger database is unreachable"));
        }

        try
        {
            return targetMethod.Invoke(_inner, args);
        }
        catch (TargetInvocationException e) when (e.InnerException is not null)
        {
            throw e.InnerException;
        }
    }
}
