using MeshFlow.Governance.Risk;

namespace MeshFlow.Tests.Governance.Risk;

public sealed class WriteOutsideScratchRuleTests
{
    [Theory]
    [InlineData("write_file", """{ "path": "/etc/passwd", "content": "x" }""")]
    [InlineData("WriteFile", """{ "filePath": "/home/ana/.bashrc" }""")]
    [InlineData("fs.saveDocument", """{ "target": "/runs/r1/other/report.md" }""")]
    [InlineData("move", """{ "from": "/runs/r1/scratch/a.txt", "destination": "/srv/www/a.txt" }""")]
    [InlineData("copy_tree", """{ "output_dir": "C:\\Windows\\System32" }""")]
    [InlineData("append_log", """{ "file": "../../../etc/cron.d/job" }""")]
    [InlineData("open", """{ "mode": "write", "name": "/var/log/app.log" }""")]
    [InlineData("delete", """{ "file": "/runs/r1/scratch/../../r2/scratch/data.csv" }""")]
    public void A_writing_tool_with_a_path_outside_the_scratch_folder_is_high(string tool, string arguments)
    {
        var assessment = RiskCall.Assess(tool, RiskTier.Medium, arguments);

        Assert.Equal((RiskTier.High, RiskRuleIds.WriteOutsideScratch), (assessment.Tier, assessment.Rule));
    }

    [Theory]
    [InlineData("write_file", """{ "path": "/runs/r1/scratch/notes.md" }""")]
    [InlineData("write_file", """{ "path": "notes/today.md" }""")]
    [InlineData("write_file", """{ "path": "drafts/../final.md" }""")]
    [InlineData("write_file", """{ "path": "/runs/r1/scratch/./a/../b.txt" }""")]
    [InlineData("read_file", """{ "path": "/etc/hosts" }""")]
    [InlineData("open", """{ "mode": "read", "name": "/var/log/app.log" }""")]
    [InlineData("save_profile", """{ "profile": "admin" }""")]
    public void A_write_inside_the_scratch_folder_or_a_read_keeps_the_declared_tier(string tool, string arguments)
    {
        var assessment = RiskCall.Assess(tool, RiskTier.Medium, arguments);

        Assert.Equal((RiskTier.Medium, RiskRuleIds.Declared), (assessment.Tier, assessment.Rule));
    }

    [Fact]
    public void Dot_dot_that_escapes_the_scratch_folder_is_outside()
    {
        var inside = RiskCall.Assess("write_file", RiskTier.Low, """{ "path": "a/b/../../c.txt" }""");
        var escaping = RiskCall.Assess("write_file", RiskTier.Low, """{ "path": "a/../../c.txt" }""");
        var prefixTrick = RiskCall.Assess("write_file", RiskTier.Low, """{ "path": "/runs/r1/scratch-evil/c.txt" }""");

        Assert.Equal(RiskRuleIds.Declared, inside.Rule);
        Assert.Equal(RiskRuleIds.WriteOutsideScratch, escaping.Rule);
        Assert.Equal(RiskRuleIds.WriteOutsideScratch, prefixTrick.Rule);
    }

    [Fact]
    public void Without_a_scratch_folder_every_write_path_is_outside()
    {
        var options = RiskCall.Scratch with { ScratchFolder = null };

        var assessment = RiskCall.Assess("write_file", RiskTier.Low, """{ "path": "notes.md" }""", options);

        Assert.Equal((RiskTier.High, RiskRuleIds.WriteOutsideScratch), (assessment.Tier, assessment.Rule));
        Assert.Equal("argument 'path' writes outside the scratch folder", assessment.Detail);
    }

    [Fact]
    public void Windows_scratch_folders_compare_without_case()
    {
        var options = RiskCall.Scratch with { ScratchFolder = @"C:\runs\r1\scratch" };

        var inside = RiskCall.Assess("write_file", RiskTier.Low, """{ "path": "c:/Runs/R1/Scratch/out.txt" }""", options);
        var outside = RiskCall.Assess("write_file", RiskTier.Low, """{ "path": "C:\\runs\\r1\\out.txt" }""", options);

        Assert.Equal(RiskRuleIds.Declared, inside.Rule);
        Assert.Equal(RiskRuleIds.WriteOutsideScratch, outside.Rule);
    }

    [Fact]
    public void An_absolute_path_value_counts_whatever_the_argument_is_called()
    {
        var assessment = RiskCall.Assess("save", RiskTier.Low, """{ "where": "/etc/app.conf" }""");

        Assert.Equal(RiskRuleIds.WriteOutsideScratch, assessment.Rule);
    }
}
