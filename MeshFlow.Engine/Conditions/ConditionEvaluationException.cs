namespace MeshFlow.Conditions;

/// <summary>
/// A condition parsed but could not be evaluated against a scope: for example <c>&lt;</c> between a string and a
/// number, <c>&amp;&amp;</c> or <c>!</c> applied to something that is not a boolean, <c>number('abc')</c>, or a
/// condition whose result is not a boolean.
/// </summary>
public sealed class ConditionEvaluationException : InvalidOperationException
{
    /// <summary>Creates an exception with a message saying what went wrong.</summary>
    /// <param name="message">The message, which names the problem, its column and the condition.</param>
    public ConditionEvaluationException(string message)
        : base(message)
    {
    }
}
