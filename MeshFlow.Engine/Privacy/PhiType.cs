using System.Text.Json.Serialization;

namespace MeshFlow.Privacy;

/// <summary>
/// The HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2)) that <see cref="PhiScrubber"/> recognizes by their shape
/// or by the words in front of them. The wire name of each value is the <c>TYPE</c> in its marker,
/// <c>[PHI-REDACTED:TYPE]</c>.
/// </summary>
/// <remarks>
/// Safe Harbor also lists geographic subdivisions smaller than a state (street addresses, cities), biometric
/// identifiers, full-face photographs and "any other unique identifying number"; these have no shape to recognize and
/// are not covered.
/// </remarks>
[JsonConverter(typeof(JsonStringEnumConverter<PhiType>))]
public enum PhiType
{
    /// <summary>A person's name: the patient, a relative, a clinician.</summary>
    [JsonStringEnumMemberName("NAME")] Name,

    /// <summary>A date more precise than a year: birth, admission, discharge, visit.</summary>
    [JsonStringEnumMemberName("DATE")] Date,

    /// <summary>A telephone number (North American numbering plan).</summary>
    [JsonStringEnumMemberName("PHONE")] Phone,

    /// <summary>A telephone number introduced as a fax number.</summary>
    [JsonStringEnumMemberName("FAX")] Fax,

    /// <summary>An email address.</summary>
    [JsonStringEnumMemberName("EMAIL")] Email,

    /// <summary>A social security number.</summary>
    [JsonStringEnumMemberName("SSN")] Ssn,

    /// <summary>A medical record number.</summary>
    [JsonStringEnumMemberName("MRN")] Mrn,

    /// <summary>A health plan beneficiary number: member, subscriber, policy, Medicare or Medicaid ID.</summary>
    [JsonStringEnumMemberName("HEALTH_PLAN")] HealthPlan,

    /// <summary>An account number.</summary>
    [JsonStringEnumMemberName("ACCOUNT")] Account,

    /// <summary>A certificate or licence number: a driver's or professional licence, DEA or NPI number.</summary>
    [JsonStringEnumMemberName("LICENSE")] License,

    /// <summary>A vehicle identifier: a VIN or a licence plate.</summary>
    [JsonStringEnumMemberName("VEHICLE")] Vehicle,

    /// <summary>A device identifier or serial number: UDI, IMEI, MAC address, implant serial.</summary>
    [JsonStringEnumMemberName("DEVICE")] Device,

    /// <summary>An IPv4 or IPv6 address.</summary>
    [JsonStringEnumMemberName("IP")] IpAddress,

    /// <summary>A web address (<c>http://</c>, <c>https://</c> or <c>www.</c>).</summary>
    [JsonStringEnumMemberName("URL")] Url,

    /// <summary>A five- or nine-digit ZIP code.</summary>
    [JsonStringEnumMemberName("ZIP")] Zip,

    /// <summary>A payment card number that passes the Luhn check.</summary>
    [JsonStringEnumMemberName("CARD")] CardNumber,
}
