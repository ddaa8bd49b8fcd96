namespace MeshFlow.Governance.Guardian;

/// <summary>
/// One leak <see cref="LeakScanner"/> found: where it is and what it is. It never carries the matched text, so a
/// match can be logged, stored or shown without exposing the secret.
/// </summary>
/// <param name="Start">Where the match starts in the scanned text (UTF-16 code units).</param>
/// <param name="Length">How long the match is.</param>
/// <param name="Kind">Whether it is a secret or an exfiltration channel.</param>
/// <param name="Label">One of the <see cref="LeakLabels"/> names.</param>
public readonly record struct LeakMatch(int Start, int Length, LeakKind Kind, string Label);
