using System.Globalization;
using System.Text;

namespace MeshFlow.Dashboard.Metrics;

/// <summary>
/// Reads the sample lines of the Prometheus text exposition format (0.0.4, and the sample lines OpenMetrics shares with
/// it): <c>name{label="value",...} value [timestamp]</c>. Comments, <c>HELP</c>, <c>TYPE</c> and <c>EOF</c> lines are
/// skipped. It is strict on purpose: a line it cannot read is a <see cref="FormatException"/> naming the line, never
/// a silently wrong number on the overview.
/// </summary>
public static class PrometheusTextReader
{
    /// <summary>Every sample of <paramref name="text"/>, in order.</summary>
    public static IReadOnlyList<MetricSample> Read(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var samples = new List<MetricSample>();
        var lineNumber = 0;
        foreach (var rawLine in text.Split('\n'))
        {
            lineNumber++;
            var line = rawLine.TrimEnd('\r');
            if (line.Trim().Length == 0 || line.TrimStart()[0] == '#')
            {
                continue;
            }

            samples.Add(ReadSample(line, lineNumber));
        }

        return samples;
    }

    private static MetricSample ReadSample(string line, int lineNumber)
    {
        var position = 0;
        SkipBlanks(line, ref position);
        var name = ReadName(line, ref position, lineNumber, "metric name");
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        if (position < line.Length && line[position] == '{')
        {
            position++;
            ReadLabels(line, ref position, lineNumber, labels);
        }

        if (position >= line.Length || !IsBlank(line[position]))
        {
            throw Problem(lineNumber, $"expected a space and a value after '{name}'");
        }

        SkipBlanks(line, ref position);
        var value = ParseValue(ReadToken(line, ref position), lineNumber);
        SkipBlanks(line, ref position);
        if (position < line.Length && line[position] != '#')
        {
            // An optional timestamp (milliseconds); an OpenMetrics exemplar ("# {...} v") may follow and is not a sample.
            var timestamp = ReadToken(line, ref position);
            if (!double.TryParse(timestamp, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                throw Problem(lineNumber, $"'{timestamp}' is not a timestamp");
            }

            SkipBlanks(line, ref position);
        }

        if (position < line.Length && line[position] != '#')
        {
            throw Problem(lineNumber, $"unexpected '{line[position..]}' after the value");
        }

        return new MetricSample(name, labels, value);
    }

    private static void ReadLabels(string line, ref int position, int lineNumber, Dictionary<string, string> labels)
    {
        while (true)
        {
            SkipBlanks(line, ref position);
            if (position < line.Length && line[position] == '}')
            {
                position++;
                return;
            }

            var label = ReadName(line, ref position, lineNumber, "label name");
            SkipBlanks(line, ref position);
            Expect(line, ref position, '=', lineNumber);
            SkipBlanks(line, ref position);
            Expect(line, ref position, '"', lineNumber);
            var value = ReadLabelValue(line, ref position, lineNumber);
            if (!labels.TryAdd(label, value))
            {
                throw Problem(lineNumber, $"label '{label}' appears twice");
            }

            SkipBlanks(line, ref position);
            if (position < line.Length && line[position] == ',')
            {
                position++;
                continue;
            }

            SkipBlanks(line, ref position);
            Expect(line, ref position, '}', lineNumber);
            return;
        }
    }

    // A quoted label value up to its closing quote; the format's escapes are \\, \" and \n.
    private static string ReadLabelValue(string line, ref int position, int lineNumber)
    {
        var value = new StringBuilder();
        while (position < line.Length)
        {
            var c = line[position++];
            if (c == '"')
            {
                return value.ToString();
            }

            if (c != '\\')
            {
                value.Append(c);
                continue;
            }

            if (position >= line.Length)
            {
                break;
            }

            value.Append(line[position++] switch
            {
                '\\' => '\\',
                '"' => '"',
                'n' => '\n',
                var other => throw Problem(lineNumber, $"unknown escape '\\{other}' in a label value"),
            });
        }

        throw Problem(lineNumber, "a label value is not closed by '\"'");
    }

    private static string ReadName(string line, ref int position, int lineNumber, string what)
    {
        var start = position;
        while (position < line.Length && (char.IsAsciiLetter(line[position]) || line[position] is '_' or ':'
            || (position > start && char.IsAsciiDigit(line[position]))))
        {
            position++;
        }

        return position > start ? line[start..position] : throw Problem(lineNumber, $"expected a {what} at column {start + 1}");
    }

    private static double ParseValue(string token, int lineNumber) => token switch
    {
        "+Inf" or "Inf" => double.PositiveInfinity,
        "-Inf" => double.NegativeInfinity,
        "NaN" => double.NaN,
        _ when double.TryParse(token, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) => value,
        _ => throw Problem(lineNumber, $"'{token}' is not a sample value"),
    };

    private static string ReadToken(string line, ref int position)
    {
        var start = position;
        while (position < line.Length && !IsBlank(line[position]))
        {
            position++;
        }

        return line[start..position];
    }

    private static void Expect(string line, ref int position, char expected, int lineNumber)
    {
        if (position >= line.Length || line[position] != expected)
        {
            throw Problem(lineNumber, $"expected '{expected}' at column {position + 1}");
        }

        position++;
    }

    private static void SkipBlanks(string line, ref int position)
    {
        while (position < line.Length && IsBlank(line[position]))
        {
            position++;
        }
    }

    private static bool IsBlank(char c) => c is ' ' or '\t';

    private static FormatException Problem(int lineNumber, string message) => new($"metrics line {lineNumber}: {message}");
}
