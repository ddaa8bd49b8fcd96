namespace MeshFlow.Governance;

/// <summary>A pluggable check of the step pipeline, run before and after every step's call.</summary>
/// <remarks>
/// <para>Checks run in registration order. The first verdict that is not <see cref="Verdict.Commit"/> wins and
/// later checks are not asked. A step blocked before its call never calls its model; a step blocked after its
/// call keeps its output in the record, but the run ends.</para>
/// <para>Checks are shared by concurrent runs and concurrent branches of one run: they must be thread-safe and
/// keep per-run data in <see cref="StepCheckContext.Budget"/> or their own run-keyed state.</para>
/// </remarks>
public interface IStepCheck
{
    /// <summary>Decides whether the step may call its model or tool.</summary>
    ValueTask<StepVerdict> BeforeStepAsync(StepCheckContext context, CancellationToken cancellationToken);

    /// <summary>Decides whether the step's result stands.</summary>
    ValueTask<StepVerdict> AfterStepAsync(StepCheckContext context, StepOutcome outcome, CancellationToken cancellationToken);
}
