namespace MeshFlow.Tests.Privacy;

/// <summary>Sentences that hold no identifier but things shaped like one; a match in any of them is a false positive.</summary>
internal static class PhiLookAlikeTemplates
{
    public static readonly string[] All =
    [
        "Updated the charting app to version {VERSION}.", "Firmware version {VERSION4} installed on the pump.",
        "Infusion pump software v{VERSION} validated.", "Monitor build {VERSION4} has the alarm fix.",
        "Labs: {LAB}, {LAB}, {LAB}.", "{LAB} this morning, down from yesterday.", "BP {BP}, HR 88, RR 16, SpO2 97% on RA.",
        "Metformin {DOSE} BID; take 1/2 tablet if glucose below 70.", "Insulin glargine 22 units qHS; lispro 4-6 units with meals.",
        "Test record uses invalid SSN {BADSSN} by design.", "SSN {BADSSN} rejected by the payer as invalid.",
        "Gift card reference {BADCARD} could not be verified.", "Reference number {BADCARD} on the old statement.",
        "Order {ORDER} placed for CBC and BMP.", "Requisition {ORDER} sent to the lab.", "Accession {ORDER} received.",
        "Specimen trace {LONGNUMBER} logged by the analyzer.", "Vitals at {TIME}: stable.", "Next dose due at {TIME}.",
        "Diagnosed with diabetes in {YEAR}; on insulin since {YEAR}.", "Dx {ICD} and {ICD}; billed CPT {CPT}.",
        "NDC {NDC} dispensed.", "Patient Instructions: take {DRUG} with food.", "Patient Education Materials provided.",
        "Patient {DRUG} adherence reviewed.", "patient {DRUG} intolerance noted.", "Patient Safety Plan updated.",
        "Referred by {DEPT} for evaluation.", "Seen by {DEPT} today.", "Transferred from {PLACE} yesterday.",
        "Follow up at {PLACE} in two weeks.", "Wound 2.5 x 3.1 cm, grade 2-3 edema, pain 7/10.", "Mix 1:1 with saline; ratio 3:1.",
        "PHQ-9 score 12; GCS 15; Apgar 8/9.", "Sample number {BADPHONE} is a placeholder.", "Old pager code {BADPHONE} retired.",
        "Lab analyzer address {BADIP} is out of range.", "Version {VERSION4} of the interface engine.",
        "Serial troponins 0.02, 0.03, 0.02; serial 12-lead ECGs unchanged.", "Device interrogated; battery 8.2 years.",
        "License renewed in {YEAR}.", "MRN pending; SSN not provided.", "Fax machine down until {TIME}.",
        "Phone call lasted 10 min.", "Taken into account 3 prior episodes.", "Dose @ 5 mg/kg, i.e. {DOSE} total.",
        "Chart reviewed; no changes.", "Cell count 12.4; policy review in {YEAR}.", "Invalid date {BADDATE} in the import was dropped.",
        "Q{ORDER} is the queue ticket.", "Hemoglobin A1c goal below 7.0 per the {YEAR} guideline.", "Rate 75 mL/hr of 1/2 NS.",
        "Hold {DRUG} for 3-5 days before the procedure.", "Member of the care team called back.", "Plate reader calibrated at {TIME}.",
        "Part number {BADVIN} reordered.", "Upgraded the EHR to release {RELEASE} overnight.", "Tracking number 1Z999AA10123456784.",
        "Weight 82.5 kg (181.9 lb); height 175 cm; temp 98.6 F at {TIME}.", "Glucose target 110-180 mg/dL; follow-up in 2-3 weeks.",
        "ECG: PR 0.16, QRS 0.08, QTc 0.44 at {TIME}.", "Ratio 2:1:1 and the timer read {TIME}.", "Uses std::vector in the parser.",
        "Accounted for {ORDER} steps today.", "Licensed in {YEAR}.", "Room 4B, bed 2; ext 4412.", "Vaccine lot EL{ORDER} given.",
        "Brought in by Austin Fire Department.", "Marcus Gunn pupil noted on the left.", "Referred to Virginia Mason for a second opinion.",
    ];
}
