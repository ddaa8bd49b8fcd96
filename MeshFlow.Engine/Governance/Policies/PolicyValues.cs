using System.Globalization;
using MeshFlow.Declarative;
using MeshFlow.Governance.Risk;

namespace MeshFlow.Governance;

/// <summary>The kinds of value policy fields share, read and written the one way: <c>none</c>, durations, tiers.</summary>
internal static class PolicyValues
{
    /// <summary>The word that stands for no limit.</summary>
    public const string None = "none";

    /// <summary>What a field of a risk tier takes, as messages say it.</summary>
    public static string TierExpected { get; } = $"a risk tier ({string.Join(", ", RiskTiers.Names)}) or none";

    public static bool IsNone(IPolicyValue value) => value.TryGetString(out var text) && text == None;

    /// <summary>
    /// A duration: a number of seconds, or a text such as <c>500ms</c>, <c>30s</c>, <c>2m</c>, <c>1h</c> (read as
    /// the workflow definition reads it); <c>none</c> is <see cref="Timeout.InfiniteTimeSpan"/>.
    /// </summary>
    public static bool TryDuration(IPolicyValue value, out TimeSpan duration)
    {
        duration = Timeout.InfiniteTimeSpan;
        if (IsNone(value))
        {
            return true;
        }

        var text = value.TryGetDouble(out var seconds) ? seconds.ToString("R", CultureInfo.InvariantCulture)
            : value.TryGetString(out var written) ? written
            : null;
        return text is not null && Scalars.TryDuration(text, out duration) && duration > TimeSpan.Zero;
    }

    public static string Duration(TimeSpan value)
    {
        if (value == Timeout.InfiniteTimeSpan)
        {
            return None;
        }

        (long Ticks, string Unit)[] units =
            [(TimeSpan.TicksPerHour, "h"), (TimeSpan.TicksPerMinute, "m"), (TimeSpan.TicksPerSecond, "s"), (TimeSpan.TicksPerMillisecond, "ms")];
        foreach (var (ticks, unit) in units)
        {
            if (value.Ticks % ticks == 0)
            {
                return string.Create(CultureInfo.InvariantCulture, $"{value.Ticks / ticks}{unit}");
            }
        }

        return value.TotalSeconds.ToString("R", CultureInfo.InvariantCulture);
    }

    public static string Count(long value) => value == 0 ? None : value.ToString(CultureInfo.InvariantCulture);

    public static string Money(decimal value) => value == 0 ? None : value.ToString(CultureInfo.InvariantCulture);

    public static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Tier(RiskTier? tier) => tier is { } t ? RiskTiers.Name(t) : None;

}
