using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>Each structured type: the forms it is written in, and the look-alike that must not match.</summary>
public sealed class PhiShapeTests
{
    [Theory]
    [InlineData("SSN 123-45-6789 on file", "123-45-6789")]
    [InlineData("ID check: 123 45 6789.", "123 45 6789")]
    [InlineData("SSN: 123456789", "123456789")]
    [InlineData("social security number 078051120", "078051120")]
    [InlineData("SS# 219099999", "219099999")]
    public void An_SSN_is_found(string text, string ssn) => AssertFinds(text, PhiType.Ssn, ssn);

    [Theory]
    [InlineData("SSN 000-12-3456")]
    [InlineData("SSN 666-12-3456")]
    [InlineData("SSN 912-34-5678")]
    [InlineData("SSN 123-00-4567")]
    [InlineData("SSN 123-45-0000")]
    [InlineData("Order 123456789 shipped")]
    [InlineData("Ref 123-45-67890")]
    [InlineData("Code 1-123-45-6789")]
    public void An_invalid_or_unlabelled_SSN_is_not(string text) => AssertNothing(text);

    [Theory]
    [InlineData("DOB 03/14/1962.", "03/14/1962")]
    [InlineData("Admitted 1962-03-14T10:30 via ED", "1962-03-14")]
    [InlineData("Born March 14, 1962 in Ohio", "March 14, 1962")]
    [InlineData("Seen 14 Mar 1962", "14 Mar 1962")]
    [InlineData("Seen 14-MAR-62", "14-MAR-62")]
    [InlineData("Discharged on the 14th of March", "14th of March")]
    [InlineData("Visit 14.03.1962", "14.03.1962")]
    [InlineData("Admitted on 3/14 with pain", "3/14")]
    [InlineData("Stay 03/14/2024-03/20/2024.", "03/14/2024")]
    public void A_date_is_found(string text, string date) => AssertFinds(text, PhiType.Date, date);

    [Theory]
    [InlineData("Updated to v1.2.3 today")]
    [InlineData("Running version 2.0.1")]
    [InlineData("Upgraded to release 2024.1.3")]
    [InlineData("Diagnosed in 1962")]
    [InlineData("Take 1/2 tablet")]
    [InlineData("Pain 7/10, BP 120/80")]
    [InlineData("Import dropped 13/45/2001")]
    [InlineData("Hgb 13.5, Cr 1.02")]
    [InlineData("Vitals at 10:30")]
    public void A_version_a_year_or_a_fraction_is_not_a_date(string text) => AssertNothing(text);

    [Theory]
    [InlineData("Call (617) 555-0142 today", "(617) 555-0142")]
    [InlineData("Call +1 617 555 0142", "+1 617 555 0142")]
    [InlineData("Office 617-555-0142 ext. 204, ask for", "617-555-0142 ext. 204")]
    [InlineData("Cell 6175550142", "6175550142")]
    [InlineData("Call 555-0142 for the nurse line", "555-0142")]
    public void A_phone_number_is_found(string text, string phone) => AssertFinds(text, PhiType.Phone, phone);

    [Theory]
    [InlineData("Barcode 12345678901234")]
    [InlineData("Reference 6175550142")]
    [InlineData("Placeholder 123-456-7890")]
    [InlineData("Trace 617-555-01423")]
    [InlineData("Trace 9617-555-0142")]
    public void Ten_digits_are_not_a_phone_number_without_shape_or_label(string text) => AssertNothing(text);

    [Fact]
    public void A_number_after_fax_is_a_fax_number_and_the_one_before_it_a_phone_number()
    {
        var text = "Phone 617-555-0142, fax 617-555-0143. Fax sent; call 617-555-0144.";

        Assert.Equal([PhiType.Phone, PhiType.Fax, PhiType.Phone], PhiScrubber.Find(text).Select(match => match.Type));
    }

    [Theory]
    [InlineData("Email jane.doe@example.com.", "jane.doe@example.com")]
    [InlineData("to <M.Garcia+portal@Mail.Example.ORG>", "M.Garcia+portal@Mail.Example.ORG")]
    [InlineData("Email núñez.w@correo.example.org;", "núñez.w@correo.example.org")]
    public void An_email_address_is_found(string text, string email) => AssertFinds(text, PhiType.Email, email);

    [Theory]
    [InlineData("Dose @ 5 mg/kg")]
    [InlineData("Working @home")]
    [InlineData("user@localhost")]
    [InlineData("a@b.c")]
    public void An_at_sign_is_not_an_email_address(string text) => AssertNothing(text);

    [Theory]
    [InlineData("MRN: 00451234", PhiType.Mrn, "00451234")]
    [InlineData("Chart #A0049381 reviewed", PhiType.Mrn, "A0049381")]
    [InlineData("Member ID: XJH448812901", PhiType.HealthPlan, "XJH448812901")]
    [InlineData("Medicare ID 1EG4-TE5-MK73", PhiType.HealthPlan, "1EG4-TE5-MK73")]
    [InlineData("Account #: 88123441", PhiType.Account, "88123441")]
    [InlineData("acct ACCT-0048812", PhiType.Account, "ACCT-0048812")]
    [InlineData("DEA# AB1234563", PhiType.License, "AB1234563")]
    [InlineData("NPI: 1234567893", PhiType.License, "1234567893")]
    [InlineData("Driver's license S530-4412-8891", PhiType.License, "S530-4412-8891")]
    [InlineData("license plate ABC-1234", PhiType.Vehicle, "ABC-1234")]
    [InlineData("plate ABC 1234 noted", PhiType.Vehicle, "ABC 1234")]
    [InlineData("VIN 1HGCM82633A004353", PhiType.Vehicle, "1HGCM82633A004353")]
    [InlineData("S/N: SN-44812-X", PhiType.Device, "SN-44812-X")]
    [InlineData("IMEI 356938035643809", PhiType.Device, "356938035643809")]
    [InlineData("UDI (01)00844588003288(17)141120(10)7654321D", PhiType.Device, "(01)00844588003288(17)141120(10)7654321D")]
    [InlineData("zip code 02118", PhiType.Zip, "02118")]
    public void A_labelled_identifier_is_found_as_its_label_says(string text, PhiType type, string value) =>
        AssertFinds(text, type, value);

    [Theory]
    [InlineData("MRN pending; SSN not provided")]
    [InlineData("Chart reviewed in 2023")]
    [InlineData("Member of the care team; policy review in 2024")]
    [InlineData("Taken into account 3 episodes; accounted for 12345 steps")]
    [InlineData("License renewed in 2019; licensed in 1998")]
    [InlineData("Glucose 110 mg/dL 12345")]
    [InlineData("Serial troponins; serial 12-lead ECGs; device interrogated")]
    [InlineData("Plate reader calibrated; fax machine down; phone call 10 min")]
    public void A_label_without_an_identifier_after_it_is_not_one(string text) => AssertNothing(text);

    [Fact]
    public void A_VIN_is_found_by_its_check_digit_alone()
    {
        AssertFinds("Car 1HGCM82633A004352 towed", PhiType.Vehicle, "1HGCM82633A004352");
        AssertNothing("Part 1HGCM82633A004353 reordered");
        AssertNothing("Tracking 1Z999AA10123456784");
    }

    [Theory]
    [InlineData("Login from 192.168.1.10.", "192.168.1.10")]
    [InlineData("Host 10.0.0.5:8443 dropped", "10.0.0.5")]
    [InlineData("From fe80::1ff:fe23:4567:890a today", "fe80::1ff:fe23:4567:890a")]
    [InlineData("ipv6:2001:db8::42 seen", "2001:db8::42")]
    [InlineData("Mapped ::ffff:192.0.2.128 address", "::ffff:192.0.2.128")]
    public void An_IP_address_is_found(string text, string address) => AssertFinds(text, PhiType.IpAddress, address);

    [Theory]
    [InlineData("Running version 1.2.3.4")]
    [InlineData("Firmware v1.2.3.4")]
    [InlineData("Build 10.0.19045.3803")]
    [InlineData("Outline 1.2.3.4.5")]
    [InlineData("Analyzer 256.1.1.1")]
    [InlineData("Times 10:30:45 and std::vector and ::1")]
    public void A_version_or_a_time_is_not_an_IP_address(string text) => AssertNothing(text);

    [Theory]
    [InlineData("See https://portal.example.org/p?id=42.", "https://portal.example.org/p?id=42")]
    [InlineData("(www.example.com/jdoe)", "www.example.com/jdoe")]
    [InlineData("Wiki https://en.example.org/Foo_(bar) here", "https://en.example.org/Foo_(bar)")]
    public void A_URL_is_found_without_its_trailing_punctuation(string text, string url) => AssertFinds(text, PhiType.Url, url);

    [Theory]
    [InlineData("Boston, MA 02118.", "02118")]
    [InlineData("Springfield, Illinois 62704-1234", "62704-1234")]
    [InlineData("Erie PA 16501", "16501")]
    public void A_ZIP_code_after_a_state_is_found(string text, string zip) => AssertFinds(text, PhiType.Zip, zip);

    [Theory]
    [InlineData("Collected 12345 cells")]
    [InlineData("Lives in Boston, MA")]
    [InlineData("Salem OR 97301")]
    public void Five_digits_without_a_state_or_a_label_are_not_a_ZIP_code(string text) => AssertNothing(text);

    [Theory]
    [InlineData("Card 4111 1111 1111 1111 exp 04/27", "4111 1111 1111 1111")]
    [InlineData("Amex 3782 822463 10005", "3782 822463 10005")]
    [InlineData("Card 4111-1111-1111-1111", "4111-1111-1111-1111")]
    [InlineData("Card 5555555555554444.", "5555555555554444")]
    public void A_card_number_is_found(string text, string card) => AssertFinds(text, PhiType.CardNumber, card);

    [Theory]
    [InlineData("Ref 4111 1111 1111 1112")]
    [InlineData("Trace 71111111111111111")]
    [InlineData("Specimen 41111111111111111111111")]
    public void A_number_that_fails_Luhn_or_the_network_prefix_is_not_a_card(string text) => AssertNothing(text);

    [Fact]
    public void A_MAC_address_is_a_device_identifier() =>
        AssertFinds("Pump MAC 00:1A:2B:3C:4D:5E paired", PhiType.Device, "00:1A:2B:3C:4D:5E");

    [Fact]
    public void A_number_under_a_label_takes_the_labels_type_over_its_shape()
    {
        var match = Assert.Single(PhiScrubber.Find("MRN: 123-45-6789"));

        Assert.Equal(new PhiMatch(5, 11, PhiType.Mrn), match);
    }

    internal static void AssertFinds(string text, PhiType type, string value)
    {
        var found = PhiScrubber.Find(text);
        Assert.Contains(new PhiMatch(text.IndexOf(value, StringComparison.Ordinal), value.Length, type), found);
    }

    internal static void AssertNothing(string text)
    {
        var found = PhiScrubber.Find(text);
        Assert.True(found.Count == 0, string.Join(", ", found.Select(match => $"{match.Type} '{text.Substring(match.Start, match.Length)}'")));
    }
}
