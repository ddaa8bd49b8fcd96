namespace MeshFlow.Tests.Steps.Privacy;

/// <summary>
/// One identifier of every Safe Harbor type the scrubber recognizes, in a clinical note: what a canary run carries in,
/// and what no sink may hold afterwards.
/// </summary>
internal static class PhiCanary
{
    public static readonly (string Type, string Value)[] Identifiers =
    [
        ("NAME", "Maria Gonzalez"),
        ("DATE", "03/14/1962"),
        ("PHONE", "(617) 555-0142"),
        ("FAX", "617-555-0199"),
        ("EMAIL", "maria.gonzalez@example.org"),
        ("SSN", "123-45-6789"),
        ("MRN", "00482913"),
        ("HEALTH_PLAN", "XGH448812903"),
        ("ACCOUNT", "0048817723"),
        ("LICENSE", "D4456123"),
        ("VEHICLE", "1HGCM82633A004352"),
        ("DEVICE", "PM88213XQ"),
        ("IP", "192.168.14.201"),
        ("URL", "https://portal.example-clinic.org/patients/48213"),
        ("ZIP", "MA 02118"),
        ("CARD", "4111 1111 1111 1111"),
    ];

    public const string Note =
        "Discharge note. Patient Maria Gonzalez, DOB 03/14/1962, phone (617) 555-0142, fax 617-555-0199, " +
        "email maria.gonzalez@example.org, SSN 123-45-6789, MRN 00482913, member ID XGH448812903, account number 0048817723, " +
        "driver's license D4456123, vehicle VIN 1HGCM82633A004352, pacemaker serial number PM88213XQ, " +
        "portal login from 192.168.14.201 at https://portal.example-clinic.org/patients/48213, lives in Boston, MA 02118, " +
        "card on file 4111 1111 1111 1111. Stable for discharge.";

    /// <summary>The identifiers found in <paramref name="text"/>, by type: empty when the text is clean.</summary>
    public static IReadOnlyList<string> FoundIn(string text) =>
        [.. Identifiers.Where(i => text.Contains(i.Value, StringComparison.Ordinal)).Select(i => i.Type)];
}
