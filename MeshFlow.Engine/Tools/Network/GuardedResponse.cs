using System.Text;

namespace MeshFlow.Tools.Network;

/// <summary>The last response of a guarded request, its body read up to the cap.</summary>
/// <param name="Status">The status code.</param>
/// <param name="Url">The URL that answered (after redirects).</param>
/// <param name="MediaType">The content type without parameters, lower case, or null.</param>
/// <param name="Charset">The content type's charset, or null.</param>
/// <param name="Headers">Response and content headers, names lower case, several values joined with <c>, </c>.</param>
/// <param name="Body">The body's first bytes, up to the cap.</param>
/// <param name="Truncated">Whether the body went on past the cap.</param>
internal sealed record GuardedResponse(
    int Status,
    Uri Url,
    string? MediaType,
    string? Charset,
    IReadOnlyDictionary<string, string> Headers,
    byte[] Body,
    bool Truncated)
{
    /// <summary>The body as text, in the response's charset (UTF-8 when it names none or one unknown).</summary>
    public string Text()
    {
        Encoding encoding = Encoding.UTF8;
        if (Charset is { Length: > 0 } name)
        {
            try
            {
                encoding = Encoding.GetEncoding(name.Trim('"', '\''));
            }
            catch (ArgumentException)
            {
                encoding = Encoding.UTF8;
            }
        }

        return encoding.GetString(Body);
    }
}
