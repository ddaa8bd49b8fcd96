namespace MeshFlow.Privacy;

/// <summary>The word lists of the name heuristic: common given names, and capitalized words that are not names.</summary>
/// <remarks>
/// The given names are a few hundred common in the United States across generations and origins. Given names that are
/// also months or everyday words (May, June, April, August, Will, Bill, Grace, Hope, Faith, Joy, Rose, Summer, Dawn)
/// are left out: a capitalized "Will" or "May" says too little.
/// </remarks>
internal static class PhiNames
{
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> GivenNames = Lookup(
        """
        James John Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel Matthew Anthony Donald
        Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald Edward Jason Jeffrey Ryan Jacob Gary Nicholas
        Eric Jonathan Stephen Larry Justin Scott Brandon Benjamin Samuel Gregory Alexander Frank Patrick Raymond Jack
        Dennis Jerry Tyler Aaron Jose Adam Nathan Henry Douglas Zachary Peter Kyle Ethan Walter Noah Jeremy Christian
        Keith Roger Terry Gerald Harold Sean Austin Carl Arthur Lawrence Dylan Jesse Jordan Bryan Billy Joe Bruce Gabriel
        Logan Albert Willie Alan Juan Wayne Elijah Randy Roy Vincent Ralph Eugene Russell Bobby Mason Philip Louis Luis
        Carlos Miguel Antonio Jorge Pedro Manuel Ahmed Mohammed Muhammad Omar Ali Hassan Wei Jian Hiroshi Raj Arjun Vikram
        Rahul Sanjay Anil Kwame Tyrone DeShawn Malik Jamal Andre Marcus Darnell Terrence Liam Oliver Lucas Levi Sebastian
        Mateo Owen Caleb Isaac Luke Hunter Connor Eli Landon Adrian Julian Aiden Carter Wyatt Grayson Leo Hudson Lincoln
        Ezra Isaiah Xavier Evan Cameron Colton Dominic Ian Nolan Cooper Micah Theodore Santiago Diego Rafael Fernando
        Ricardo Eduardo Javier Francisco Alejandro Roberto Hector Victor Ivan Dmitri Sergei Yusuf Tariq Kenji Minh Tuan
        Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Lisa Nancy Betty Margaret Sandra Ashley
        Kimberly Emily Donna Michelle Carol Amanda Dorothy Melissa Deborah Stephanie Rebecca Sharon Laura Cynthia Kathleen
        Amy Angela Shirley Anna Brenda Pamela Emma Nicole Helen Samantha Katherine Christine Debra Rachel Carolyn Janet
        Catherine Maria Heather Diane Ruth Julie Olivia Joyce Virginia Victoria Kelly Lauren Christina Joan Evelyn Judith
        Megan Andrea Cheryl Hannah Jacqueline Martha Gloria Teresa Ann Anne Sara Madison Frances Kathryn Janice Jean
        Abigail Alice Judy Sophia Julia Denise Amber Doris Marilyn Danielle Beverly Isabella Theresa Diana Natalie
        Brittany Charlotte Marie Kayla Alexis Lori Ava Mia Harper Amelia Ella Chloe Camila Luna Layla Zoe Nora Lily Eleanor
        Hazel Aurora Violet Stella Ellie Aaliyah Naomi Leah Gabriella Valentina Ximena Guadalupe Rosa Carmen Lucia Sofia
        Elena Ana Isabel Fatima Aisha Priya Ananya Mei Yuki Keiko Ngozi Chioma Imani Keisha Latoya Tamika Ebony Jasmine
        Maya Kiara Tiana Joanne Wendy Tracy Tina Tammy Connie Peggy Gail Lois Irene Louise Bonnie Norma Phyllis Mildred
        Edna Ethel Florence Gladys Agnes Vera Lucille Eileen Colleen Erin Caitlin Siobhan Bridget Monica Veronica Yolanda
        Marisol Dolores Ellen Esther Miriam Rita Lorraine Sylvia Marcia Yvonne Alicia Claudia Beatriz Ingrid Greta
        """);

    // Capitalized words that start no name and end none: articles and pronouns, the headings of a clinical note,
    // departments and specialties, days and months, and the institution words below.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> NotNames = Lookup(
        """
        The A An He She They We It This That These Those His Her Their Our My Your No Yes Not And Or But If When Then
        Patient Patients Pt Name Date Time Room Unit Floor Bed Mr Mrs Ms Dr Doctor Nurse Staff Team Provider Attending
        Instructions Education Information Portal Summary History Plan Assessment Impression Diagnosis Diagnoses Procedure
        Procedures Medications Medication Allergies Allergy Vitals Vital Signs Labs Lab Results Imaging Findings Exam
        Examination Review Systems Complaint Chief Present Illness Past Medical Surgical Family Social Habits Disposition
        Discharge Admission Follow Up Care Safety Rights Responsibilities Consent Advocate Advocacy Relations Experience
        Satisfaction Identification Identifier Record Records Number Demographics Registration Intake Notes Note Progress
        Report Reports Orders Order Status Condition Goals Goal Problem Problems List Overview Monitoring Management
        Counseling Teaching Materials Handout Resources Support Transport Transfer Reviewed Declined Denies Reported States
        Presents Complains Tolerated Ambulated Received Refused Understands Verbalized Agrees Active Inactive Current
        Cardiology Neurology Oncology Dermatology Radiology Orthopedics Orthopaedics Pediatrics Psychiatry Psychology
        Surgery Urology Nephrology Gastroenterology Pulmonology Endocrinology Rheumatology Hematology Immunology
        Ophthalmology Otolaryngology Gynecology Obstetrics Anesthesia Anesthesiology Pathology Nutrition Physical
        Occupational Speech Therapy Emergency Trauma Intensive Critical Primary Internal Medicine Infectious Disease Work
        Case Palliative Geriatrics Sleep Pain Wound Vascular Thoracic Plastic Spine Sports Behavioral Mental Dental
        Dentistry Podiatry Audiology Chaplain Chaplaincy Interpreter Hospitalist Triage Telehealth Department Service
        Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May June July August
        September October November December Today Tomorrow Yesterday
        """);

    // Words that make the capitalized words before them the name of a place or an institution ("Jackson Memorial
    // Hospital", "Austin Regional Clinic", "Madison Avenue"); they are also in the list above.
    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Institutions = Lookup(
        """
        Hospital Hospitals Medical Center Centre Clinic Clinics Health Healthcare Memorial Regional University College
        Institute Foundation County Community General Street St Avenue Ave Road Rd Boulevard Blvd Drive Lane Way Court
        Place Square Park Valley Heights Hills Pharmacy Laboratory Laboratories Labs Group Associates Partners Services
        System Systems Network Home Homes Nursing Rehab Rehabilitation Hospice Insurance Bank Church School Academy
        Company Inc Corp Plaza Tower Building Campus Pavilion Wing Surgery Surgical Specialty Specialists Practice Department
        Office
        """);

    /// <summary>True for a common given name, compared as written (<c>John</c>, not <c>JOHN</c>).</summary>
    public static bool IsGivenName(ReadOnlySpan<char> word) => GivenNames.Contains(FirstPart(word));

    /// <summary>True for a capitalized word that is not part of a name.</summary>
    public static bool IsNotAName(ReadOnlySpan<char> word) => NotNames.Contains(word) || Institutions.Contains(word);

    /// <summary>True for a word that turns the name before it into the name of a place or an institution.</summary>
    public static bool IsInstitution(ReadOnlySpan<char> word) => Institutions.Contains(word);

    // "Mary-Kate" is looked up as "Mary".
    private static ReadOnlySpan<char> FirstPart(ReadOnlySpan<char> word)
    {
        var hyphen = word.IndexOf('-');
        return hyphen > 0 ? word[..hyphen] : word;
    }

    private static HashSet<string>.AlternateLookup<ReadOnlySpan<char>> Lookup(string words) =>
        new HashSet<string>(words.Split((char[])[' ', '\r', '\n'], StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal)
            .GetAlternateLookup<ReadOnlySpan<char>>();
}
