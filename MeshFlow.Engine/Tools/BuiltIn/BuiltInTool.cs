using System.Collections.ObjectModel;
using System.Globalization;
using System.Text.Json;
using MeshFlow.Governance.Risk;
using Microsoft.Extensions.AI;

namespace MeshFlow.Tools.BuiltIn;

/// <summary>
/// A tool MeshFlow ships: a typed JSON schema, a description a model can use, a declared <see cref="RiskTier"/>, a
/// timeout and an output cap. Calls are recorded, evented and governed like every tool call; what a built-in tool
/// adds is the limits, enforced here for all of them.
/// </summary>
/// <remarks>
/// A call that runs past <see cref="Timeout"/> fails with a <see cref="BuiltInToolException"/> saying so, and any other
/// exception than a <see cref="BuiltInToolException"/> becomes one naming only its type; output longer
/// than <see cref="MaxOutputChars"/> is cut and ends with a line saying how much was cut, so neither the model nor a
/// reader mistakes it for the whole. A refusal or failure is a <see cref="BuiltInToolException"/> whose message the
/// model is shown.
/// </remarks>
public abstract class BuiltInTool : AIFunction
{
    /// <summary>The <see cref="AITool.AdditionalProperties"/> key that marks a built-in tool.</summary>
    public const string BuiltInPropertyKey = "meshflow.builtin";

    private readonly JsonElement _schema;
    private readonly ReadOnlyDictionary<string, object?> _properties;

    /// <summary>Creates the tool.</summary>
    /// <param name="name">Its name (<see cref="BuiltInToolNames"/>).</param>
    /// <param name="description">What it does, for the model.</param>
    /// <param name="jsonSchema">The JSON schema of its arguments (an object schema).</param>
    /// <param name="risk">The tier it declares.</param>
    /// <param name="timeout">How long a call may take.</param>
    /// <param name="maxOutputChars">The most characters of output a call returns.</param>
    protected BuiltInTool(string name, string description, string jsonSchema, RiskTier risk, TimeSpan timeout, int maxOutputChars)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentException.ThrowIfNullOrWhiteSpace(description);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(timeout, TimeSpan.Zero);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxOutputChars, 64);
        Name = name;
        Description = description;
        using (var document = JsonDocument.Parse(jsonSchema))
        {
            _schema = document.RootElement.Clone();
        }

        Risk = risk;
        Timeout = timeout;
        MaxOutputChars = maxOutputChars;
        _properties = new Dictionary<string, object?>(StringComparer.Ordinal)
        {
            [ToolRisk.PropertyKey] = risk,
            [BuiltInPropertyKey] = true,
        }.AsReadOnly();
    }

    /// <inheritdoc />
    public override string Name { get; }

    /// <inheritdoc />
    public override string Description { get; }

    /// <inheritdoc />
    public override JsonElement JsonSchema => _schema;

    /// <inheritdoc />
    public override IReadOnlyDictionary<string, object?> AdditionalProperties => _properties;

    /// <summary>The tier the tool declares.</summary>
    public RiskTier Risk { get; }

    /// <summary>How long one call may take.</summary>
    public TimeSpan Timeout { get; }

    /// <summary>The most characters of output one call returns.</summary>
    public int MaxOutputChars { get; }

    /// <summary>Cuts <paramref name="text"/> to <paramref name="maxChars"/>, ending with a line that says it was cut.</summary>
    public static string Truncate(string text, int maxChars)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length <= maxChars)
        {
            return text;
        }

        var note = string.Create(CultureInfo.InvariantCulture, $"\n[output truncated: {text.Length:N0} characters, the first {{0:N0}} shown]");
        var keep = Math.Max(0, maxChars - note.Length - 8);
        if (keep > 0 && char.IsHighSurrogate(text[keep - 1]))
        {
            keep--;
        }

        return string.Concat(text.AsSpan(0, keep), string.Format(CultureInfo.InvariantCulture, note, keep));
    }

    /// <inheritdoc />
    protected sealed override async ValueTask<object?> InvokeCoreAsync(AIFunctionArguments arguments, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var invocation = ToolInvocation.From(arguments);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        string output;
        try
        {
            output = await RunAsync(new ToolArguments(Name, arguments), invocation, timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (timeout.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new BuiltInToolException(string.Create(CultureInfo.InvariantCulture, $"{Name} did not finish within {Timeout.TotalSeconds:0.###} s and was stopped"));
        }
        catch (Exception ex) when (ex is not BuiltInToolException and not OperationCanceledException and not OutOfMemoryException)
        {
            // The model is shown a failure's message, and an unexpected one (an I/O error, a library's) can name host
            // paths or echo data: it gets the kind of failure only; the original stays the inner exception for logs.
            throw new BuiltInToolException($"{Name} failed unexpectedly ({ex.GetType().Name})", ex);
        }

        return Truncate(output, MaxOutputChars);
    }

    /// <summary>Runs one call; <paramref name="cancellationToken"/> ends at <see cref="Timeout"/> or when the step ends.</summary>
    /// <exception cref="BuiltInToolException">The call is refused or fails; the message is shown to the model.</exception>
    protected abstract ValueTask<string> RunAsync(ToolArguments arguments, ToolInvocation invocation, CancellationToken cancellationToken);
}
