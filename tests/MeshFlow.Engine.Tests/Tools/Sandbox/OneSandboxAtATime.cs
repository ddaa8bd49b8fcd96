namespace MeshFlow.Tests.Tools.Sandbox;

/// <summary>
/// The sandbox tests run one after another (beside the other collections): each call holds up to 32 processes and
/// 5-10 s of CPU, and two cores shared by parallel sandboxes would turn the wall-clock limits into noise.
/// </summary>
[CollectionDefinition]
public sealed class OneSandboxAtATime;
