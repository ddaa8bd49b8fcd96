using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>The name heuristic: its cues, and the capitalized words it must leave alone.</summary>
public sealed class PhiNameTests
{
    [Theory]
    [InlineData("Dr. Jane Smith saw the patient", "Jane Smith")]
    [InlineData("Mrs. O'Brien-Whitfield reports", "O'Brien-Whitfield")]
    [InlineData("Seen by Dr. José Núñez today", "José Núñez")]
    [InlineData("Accompanied by his wife Maria.", "Maria")]
    [InlineData("Daughter Xiomara at bedside", "Xiomara")]
    [InlineData("Name: Quispe, Xiomara", "Quispe, Xiomara")]
    [InlineData("Patient Name: Xiomara Quispe", "Xiomara Quispe")]
    [InlineData("patient Xiomara Quispe presents", "Xiomara Quispe")]
    [InlineData("Pt Linda ambulating", "Linda")]
    [InlineData("Met John A. Carter in clinic", "John A. Carter")]
    [InlineData("Dr. Smith Today", "Smith")]
    public void A_name_with_a_cue_is_found(string text, string name) => PhiShapeTests.AssertFinds(text, PhiType.Name, name);

    [Theory]
    [InlineData("Patient Instructions: take with food")]
    [InlineData("Patient Education Materials provided")]
    [InlineData("patient Lisinopril intolerance noted")]
    [InlineData("Referred by Cardiology; seen by Physical Therapy")]
    [InlineData("Transferred from Jackson Memorial Hospital")]
    [InlineData("Follow up at Austin Regional Clinic")]
    [InlineData("Entrance on Madison Avenue")]
    [InlineData("His son. He was upset")]
    [InlineData("Okafor tolerated the procedure")]
    public void Capitalized_words_without_a_cue_or_after_a_weak_one_are_not_a_name(string text) => PhiShapeTests.AssertNothing(text);
}
