namespace MeshFlow.Agents.Resilience;

/// <summary>
/// A call was refused at once because its connection's circuit breaker is open: the provider failed too often
/// lately. The step is blocked with reason <c>circuit_breaker</c> (or fails over to its next model).
/// </summary>
public sealed class ProviderCircuitOpenException(string connection, string model, TimeSpan? retryAfter, Exception? inner = null)
    : Exception(
        $"the circuit breaker of LLM connection '{connection}' is open after repeated provider failures: model '{model}' was not called" +
        (retryAfter is { } wait ? $" (it lets a call through again in {Math.Ceiling(wait.TotalSeconds)} s)" : string.Empty), inner)
{
    /// <summary>The connection's configured name.</summary>
    public string Connection { get; } = connection;

    /// <summary>The model that was not called.</summary>
    public string Model { get; } = model;

    /// <summary>For a step with a failover list, every model's outcome (all refused by their breakers).</summary>
    public string? Failover { get; init; }

    /// <inheritdoc />
    public override string Message => Failover is null ? base.Message : $"every model of the step's failover list is refused by its circuit breaker ({Failover})";
}
