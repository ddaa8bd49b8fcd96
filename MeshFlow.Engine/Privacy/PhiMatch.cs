namespace MeshFlow.Privacy;

/// <summary>One identifier <see cref="PhiScrubber.Find(string)"/> recognized: where it is in the text, and what it is.</summary>
/// <param name="Start">The index of its first character.</param>
/// <param name="Length">Its length in characters.</param>
/// <param name="Type">What kind of identifier it is.</param>
public readonly record struct PhiMatch(int Start, int Length, PhiType Type);
