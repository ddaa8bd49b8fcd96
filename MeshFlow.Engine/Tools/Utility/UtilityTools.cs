using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Utility;

/// <summary>Makes json_query, datetime_now and calculator.</summary>
internal static class UtilityTools
{
    public static IEnumerable<BuiltInTool> Create(BuiltInToolOptions options, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(time);
        return [new JsonQueryTool(), new DateTimeNowTool(time), new CalculatorTool()];
    }
}
