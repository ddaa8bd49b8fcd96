namespace MeshFlow.LoadTest.Reporting;

/// <summary>One line of the final table.</summary>
internal sealed record ResultRow(string Measurement, string Metric, string Value, string Target, string Note);

/// <summary>The figures of every measurement, printed together at the end.</summary>
internal sealed class ResultTable
{
    private readonly List<ResultRow> _rows = [];

    public void Add(string measurement, string metric, string value, string target, string note = "") =>
        _rows.Add(new ResultRow(measurement, metric, value, target, note));

    public void Print(TextWriter output)
    {
        string[] header = ["measurement", "metric", "value", "target", "note"];
        var cells = _rows.Select(r => new[] { r.Measurement, r.Metric, r.Value, r.Target, r.Note }).Prepend(header).ToList();
        var widths = Enumerable.Range(0, header.Length).Select(c => cells.Max(row => row[c].Length)).ToArray();
        foreach (var (row, index) in cells.Select((row, index) => (row, index)))
        {
            output.WriteLine(string.Join("  ", row.Select((cell, c) => c == row.Length - 1 ? cell : cell.PadRight(widths[c]))).TrimEnd());
            if (index == 0)
            {
                output.WriteLine(string.Join("  ", widths.Select(w => new string('-', w))));
            }
        }
    }
}
