using MeshFlow.Runs;

namespace MeshFlow.Privacy;

/// <summary>The markers of the <see cref="PhiType"/> values, and which type wins when two recognitions overlap.</summary>
internal static class PhiTypes
{
    private static readonly string[] Markers =
        [.. Enum.GetValues<PhiType>().Select(type => $"[PHI-REDACTED:{WireNames.Of(type)}]")];

    /// <summary>The marker that replaces an identifier of the type, such as <c>[PHI-REDACTED:SSN]</c>.</summary>
    public static string Marker(PhiType type) => Markers[(int)type];

    /// <summary>
    /// How strongly a recognition of the type claims its characters when it overlaps another of a different type.
    /// </summary>
    /// <remarks>
    /// A number introduced by its label ("MRN", "member ID", "account") is what the label says, even when it has the
    /// shape of something else (an SSN-shaped MRN, a card-shaped account number). Names rank last: a capitalized word
    /// is the weakest evidence the scrubber has.
    /// </remarks>
    public static int Rank(PhiType type) => type switch
    {
        PhiType.Mrn or PhiType.HealthPlan or PhiType.Account or PhiType.License or PhiType.Device => 9,
        PhiType.Ssn or PhiType.Fax => 8,
        PhiType.Vehicle or PhiType.CardNumber or PhiType.Email => 7,
        PhiType.Url or PhiType.IpAddress => 6,
        PhiType.Phone or PhiType.Date => 5,
        PhiType.Zip => 4,
        _ => 1,
    };
}
