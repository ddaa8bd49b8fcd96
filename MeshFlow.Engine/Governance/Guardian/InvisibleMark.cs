namespace MeshFlow.Governance.Guardian;

/// <summary>
/// An invisible character met while normalizing: its code point, where it is in the original text, and where it would
/// have been in the normalized copy (between the characters at <c>Position - 1</c> and <c>Position</c>).
/// </summary>
internal readonly record struct InvisibleMark(int CodePoint, int Original, int Length, int Position);
