namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Scans untrusted content (tool results, retrieved documents, fetched pages, untrusted run input) for signs of prompt
/// injection before a model reads it. A pure function of the text: no state, no I/O, safe on any thread.
/// </summary>
/// <remarks>
/// <para>The text is first normalized (JSON escapes and HTML references decoded, invisible characters dropped,
/// look-alike letters folded, lower-cased, whitespace collapsed; see <c>NormalizedText</c>) so that casing, spacing,
/// zero-width characters and homoglyphs do not hide a phrase. Findings are reported at their spans in the original
/// text, exactly: each normalized character remembers the original code point it came from.</para>
/// <para>Phrases are judged in context (see <c>PhraseContext</c>): "ignore previous instructions" said to the reader
/// is a finding; the same words quoted after "attackers write", negated ("never ignore ..."), or after "the model to"
/// are not. Chat tokens are findings unless they are code, quoted, or discussed in running prose. Hidden HTML is a
/// finding only when it addresses an AI or asks for what injections ask for.</para>
/// <para>Every pattern runs on the non-backtracking regex engine; any input (1 MiB, invalid UTF-16, lone surrogates)
/// is scanned in time linear in its length, without exceptions. A scan that finds nothing allocates nothing beyond
/// pooled buffers. At most <c>256</c> findings are returned.</para>
/// </remarks>
public static class InjectionScanner
{
    /// <summary>The first finding in <paramref name="text"/> (by position), or null when there is none.</summary>
    public static InjectionFinding? Scan(string text)
    {
        var findings = ScanAll(text);
        return findings.Count == 0 ? null : findings[0];
    }

    /// <summary>Every finding in <paramref name="text"/>, ordered by position (empty when there is none).</summary>
    public static IReadOnlyList<InjectionFinding> ScanAll(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return [];
        }

        var findings = new FindingList();
        using var normalized = NormalizedText.Create(text, ref findings);
        PhraseRules.Scan(normalized, ref findings);
        HiddenMarkup.Scan(normalized, ref findings);
        return findings.ToSortedList();
    }
}
