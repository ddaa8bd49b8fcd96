using System.Globalization;
using System.Text;

namespace MeshFlow.Dashboard.ApiClient;

/// <summary>The filters and page of <c>GET /runs</c>; empty values are left out of the query string.</summary>
public sealed record RunListQuery
{
    public string? Status { get; init; }

    public string? Workflow { get; init; }

    public DateTimeOffset? CreatedAfter { get; init; }

    public DateTimeOffset? CreatedBefore { get; init; }

    public int? Limit { get; init; }

    public string? Cursor { get; init; }

    /// <summary>The relative URI of this query, such as <c>/runs?status=completed&amp;limit=25</c>.</summary>
    public string ToRelativeUri()
    {
        var query = new StringBuilder();
        Append(query, "status", Status);
        Append(query, "workflow", Workflow);
        Append(query, "created_after", CreatedAfter?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Append(query, "created_before", CreatedBefore?.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        Append(query, "limit", Limit?.ToString(CultureInfo.InvariantCulture));
        Append(query, "cursor", Cursor);
        return query.Length == 0 ? "/runs" : "/runs?" + query;
    }

    private static void Append(StringBuilder query, string name, string? value)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return;
        }

        if (query.Length > 0)
        {
            query.Append('&');
        }

        query.Append(name).Append('=').Append(Uri.EscapeDataString(value.Trim()));
    }
}
