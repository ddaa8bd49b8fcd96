namespace MeshFlow.Governance.Risk;

/// <summary>What an argument's name says it holds (<see cref="ArgumentNames.Classify"/>).</summary>
[Flags]
internal enum ArgumentKinds
{
    None = 0,
    Path = 1,
    Host = 2,
    Command = 4,
    Money = 8,
    Mode = 16,
    Secret = 32,
}
