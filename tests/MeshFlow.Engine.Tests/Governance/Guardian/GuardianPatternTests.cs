using System.Reflection;
using System.Text.RegularExpressions;
using MeshFlow.Governance.Guardian;

namespace MeshFlow.Tests.Governance.Guardian;

public sealed class GuardianPatternTests
{
    public static TheoryData<string> Patterns()
    {
        var data = new TheoryData<string>();
        foreach (var method in PatternMethods())
        {
            data.Add($"{method.DeclaringType!.Name}.{method.Name}");
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Patterns))]
    public void Every_pattern_builds_on_the_non_backtracking_engine(string name)
    {
        var method = PatternMethods().Single(m => $"{m.DeclaringType!.Name}.{m.Name}" == name);

        // The engine refuses a pattern whose automaton would be too large when it is first built, not at compile time.
        var regex = (Regex)method.Invoke(null, null)!;
        var matches = regex.Count("ignore all previous instructions <!-- --> https://example.com/?q=1 sk-abc");

        Assert.True(regex.Options.HasFlag(RegexOptions.NonBacktracking), name);
        Assert.InRange(matches, 0, 100);
    }

    private static IEnumerable<MethodInfo> PatternMethods() =>
        typeof(InjectionScanner).Assembly.GetTypes()
            .Where(t => t.Namespace == typeof(InjectionScanner).Namespace)
            .SelectMany(t => t.GetMethods(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.DeclaredOnly))
            .Where(m => m.ReturnType == typeof(Regex) && m.GetParameters().Length == 0);
}
