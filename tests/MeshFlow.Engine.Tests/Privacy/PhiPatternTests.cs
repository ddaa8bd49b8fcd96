using System.Text.RegularExpressions;
using MeshFlow.Privacy;

namespace MeshFlow.Tests.Privacy;

/// <summary>The patterns stay within what the non-backtracking engine runs, so the timeout fallback always has one.</summary>
public sealed class PhiPatternTests
{
    [Fact]
    public void Every_pattern_has_a_timeout_and_runs_on_the_non_backtracking_engine()
    {
        foreach (var pattern in PhiPatterns.All)
        {
            Assert.NotEqual(Regex.InfiniteMatchTimeout, pattern.MatchTimeout);
            var linear = PhiPatterns.Linear(pattern);
            Assert.True((linear.Options & RegexOptions.NonBacktracking) != 0, pattern.ToString());
        }
    }

    [Fact]
    public void The_non_backtracking_engine_finds_what_the_generated_patterns_find()
    {
        foreach (var sample in PhiCorpus.All)
        {
            Assert.Equal(PhiScrubber.Find(sample.Text), PhiScrubber.Find(sample.Text, linear: true));
        }
    }
}
