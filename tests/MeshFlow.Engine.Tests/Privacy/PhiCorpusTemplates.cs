namespace MeshFlow.Tests.Privacy;

/// <summary>The sentences of the corpus that hold identifiers; tokens are filled by <see cref="PhiCorpusTokens"/>.</summary>
internal static class PhiCorpusTemplates
{
    public static readonly string[][] ByType =
    [
        [
            "SSN: {SSN}.", "Social Security number {SSN} verified at registration.", "Pt SSN {SSN_BARE} on file.",
            "Verified identity with SSN {SSN} and photo ID.", "Insurance form lists {SSN} as the subscriber's social.",
            "social security no. {SSN_BARE}", "Guarantor SSN {SSN}; relationship: self.", "SS#: {SSN_BARE}", "ssn:{SSN}",
        ],
        [
            "DOB {DATE}.", "Admitted {DATE} with chest pain.", "Discharged on {DATE} in stable condition.",
            "Date of service: {DATE}", "Last colonoscopy {DATE}, no polyps.", "Seen in clinic {DATE} for follow-up; BP {BP}.",
            "Patient born {DATE}, now on {DRUG}.", "Surgery scheduled for {DATE} at {TIME}.", "Visit date {DATE} ({LAB}).",
            "Admitted on {MONTHDAY} with dyspnea.", "Last seen {MONTHDAY}; pain 7/10.",
        ],
        [
            "Phone: {PHONE}", "Call {PHONE} with questions.", "Daughter can be reached at {PHONE}.", "Cell {PHONE_BARE}",
            "Home phone {PHONE}, prefers texts.", "Left voicemail at {PHONE} after {TIME}.", "Emergency contact number {PHONE}.",
            "Call {PHONE_LOCAL} for the nurse line.",
        ],
        [
            "Fax: {FAX}", "Records faxed to {FAX} today.", "Office phone {PHONE}, fax {FAX}.", "Please fax results to {FAX}.",
            "fax number {FAX_BARE}", "Referral sent by fax to {FAX} at {TIME}.", "Tel {PHONE} / Fax {FAX}",
        ],
        [
            "Email: {EMAIL}", "Patient requests results sent to {EMAIL}.", "Contact via <{EMAIL}> only.",
            "Son's email {EMAIL}; cc {EMAIL}.", "Portal invitation emailed to {EMAIL} on {DATE}.",
        ],
        [
            "MRN: {MRN}", "Medical record number {MRN} confirmed.", "Chart #{MRN} reviewed.", "MR# {MRN}, room 412.",
            "patient ID {MRN} on wristband.", "Transferred from outside hospital (MRN {MRN}).", "MRN:{MRN}",
            "Medical Record No: {MRN}",
        ],
        [
            "Member ID: {PLAN}", "Medicare ID {PLAN} on file.", "Subscriber # {PLAN}, group 44812.",
            "Policy number {PLAN} expires next year.", "Medicaid ID: {PLAN}", "insurance ID {PLAN} verified.",
        ],
        [
            "Account #: {ACCT}", "Billing account number {ACCT} past due.", "acct {ACCT}", "Statement for account no. {ACCT} mailed.",
            "Hospital account {ACCT} opened.",
        ],
        [
            "DEA# {DEA}", "NPI: {NPI}", "Driver's license {DL} used for ID.", "Medical license number {LICNUM}",
            "Prescriber DEA {DEA}, NPI {NPI}.", "Nursing licence no. {LICNUM} verified.", "Certificate no. {LICNUM}",
            "Lic # {LICNUM}",
        ],
        [
            "VIN {VIN}", "Vehicle VIN: {VIN}, towed.", "License plate {PLATE}.", "Struck by car, plate number {PLATE}.",
            "Registration lists {VIN} for the patient's car.", "Plate {PLATE} noted by EMS.",
        ],
        [
            "Pacemaker serial {SERIAL}", "S/N: {SERIAL}", "Device ID {SERIAL} interrogated.", "UDI {UDI}",
            "IMEI {IMEI} of the glucose monitor's phone.", "Insulin pump MAC {MAC} paired.", "Implant serial number {SERIAL} recorded.",
            "Serial No. {SERIAL}",
        ],
        [
            "Portal login from {IP4}.", "Access logged from IP {IP6}.", "Telehealth session from {IP4}:8443 dropped.",
            "Remote monitor at {IP4} uploaded data.", "Session source address {IP6}.", "Gateway {IP4MAPPED} forwarded the upload.",
            "IP: {IP4}/24",
        ],
        [
            "Portal link: {URL}", "See {URL}.", "Patient blog ({URL}) mentions symptoms.", "Education video at {URL} sent.",
        ],
        [
            "Lives at 14 Elm Street, {CITYZIP}.", "Address: 220 Main St, {CITYZIP}", "ZIP {ZIP}", "zip code {ZIP}, rural county.",
            "Moved to {CITYZIP} last year.",
        ],
        [
            "Card on file {CARD}.", "Paid copay with card {CARD}, exp 04/27.", "Visa {CARD} declined.", "Refund to {CARD}.",
        ],
    ];

    // About one name in eight has no cue in front of it (a surname alone, a rare given name alone): the heuristic
    // cannot find those, and the recall reported for names says so.
    public static readonly string[] Names =
    [
        "Dr. {SURNAME} saw the patient.", "Seen by Dr. {NAME} in clinic.", "Patient {NAME} presents with cough.",
        "Pt {RNAME} ambulating in hall.", "Accompanied by his wife {GIVEN}.", "Son, {NAME}, is health care proxy.",
        "Referred by {NAME}, NP.", "Signed by {NAME}, MD.", "Name: {LASTFIRST}", "{NAME} called to reschedule.",
        "Spoke with {NAME} about results.", "Mrs. {SURNAME} reports improvement.", "{SURNAME} tolerated the procedure well.",
        "Daughter {RGIVEN} at bedside.", "Case discussed with {RGIVEN} at bedside.", "Patient Name: {RNAME}",
    ];

    public static readonly string[] Notes =
    [
        "Pt {NAME} (DOB {DATE}, MRN {MRN}) seen {DATE} for HTN f/u. BP {BP}, HR 76. {DRUG} 20 mg daily. Labs: {LAB}, {LAB}. Follow up in 3 months. Call {PHONE} with concerns.",
        "Discharge summary for {NAME}. Admitted {DATE}, discharged {DATE}. Dx: CHF exacerbation ({ICD}). Furosemide 40 mg BID. PCP Dr. {SURNAME}, fax {FAX}.",
        "Registration: {NAME}, SSN {SSN}, Member ID {PLAN}, address 88 Oak Ave, {CITYZIP}. Email {EMAIL}.",
        "Device check: pacemaker S/N {SERIAL} interrogated {DATE}; battery 8.5 years; lead impedance 520 ohms. Transmission from {IP4} at {TIME}.",
        "ED note: {NAME} brought in after MVC; vehicle VIN {VIN}, plate {PLATE}. GCS 15. CT head negative. Wife {GIVEN} at bedside, phone {PHONE}.",
        "Billing: account {ACCT}, card {CARD}. Statement at {URL}. Questions: {EMAIL}. Order {ORDER} closed.",
        "Rx by Dr. {NAME}, DEA {DEA}, NPI {NPI}: metformin 500 mg BID, #60, 2 refills. e-Rx version {VERSION}.",
        "Telehealth visit {DATE} from {IP6}; patient {NAME} reports {LAB} (was {LAB}). Portal: {URL}",
        "Subjective: {NAME} reports {DOSE} of {DRUG} helps. DOB {DATE}. Plan: recheck {LAB} on {DATE}; ICD {ICD}, CPT {CPT}.",
        "Social: lives with daughter {RGIVEN} in {CITYZIP}; drives, plate {PLATE}. Contact {PHONE}.",
        "Insurance: Medicare ID {PLAN}; secondary policy # {PLAN}. Guarantor {NAME}, SSN {SSN_BARE}.",
        "Lab requisition {ORDER} for {NAME}, MRN {MRN}, collected {DATE} {TIME}; NDC {NDC} administered; {LAB}.",
    ];
}
