namespace MeshFlow.Steps;

/// <summary>A check of the step pipeline threw: the step fails closed, naming the check.</summary>
internal sealed class StepCheckException(string check, string stage, Exception inner)
    : Exception($"check '{check}' failed {stage}: {inner.Message}", inner)
{
    public string Check { get; } = check;
}
