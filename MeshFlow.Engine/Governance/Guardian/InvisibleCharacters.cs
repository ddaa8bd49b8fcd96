namespace MeshFlow.Governance.Guardian;

/// <summary>
/// Which characters a reader cannot see, which of them are dropped before matching, and when their presence is a
/// finding of <see cref="InjectionSignals.InvisibleUnicode"/>.
/// </summary>
/// <remarks>
/// <para>Tag characters (U+E0000..U+E007F) are always a finding, except inside an emoji subdivision flag (U+1F3F4
/// followed by at most seven tags ending in U+E007F: England, Scotland, Wales). Bidi embeddings, overrides and isolates
/// (U+202A..U+202E, U+2066..U+2069) are always a finding: they reorder what a reader sees.</para>
/// <para>Zero-width characters are a finding when three or more come within 16 characters of each other, or when one
/// splits a keyword (<c>ig&#x200B;nore</c>, <c>pass&#xFEFF;word</c>). U+200B, U+2060..U+2064 and U+180E count
/// everywhere; U+FEFF everywhere but at the very start (a byte-order mark). The joiners U+200C/U+200D and the marks
/// LRM/RLM (U+200E/U+200F) count only between two ASCII letters or digits: between emoji, in Persian, Arabic, Hebrew
/// or Indic text they do the job they exist for. ALM (U+061C) and the soft hyphen never count.</para>
/// </remarks>
internal static class InvisibleCharacters
{
    // Counted zero-width characters further apart than this start a new cluster.
    private const int ClusterGap = 16;

    private const int SeveralInCluster = 3;

    // An emoji subdivision flag has a few tag letters and a cancel tag.
    private const int MaxFlagTags = 7;

    private static readonly HashSet<string> s_keywords = new(StringComparer.Ordinal)
    {
        "ignore", "disregard", "forget", "previous", "prior", "instruction", "instructions", "system", "prompt", "assistant",
        "developer", "jailbreak", "password", "passwords", "secret", "secrets", "token", "tokens", "key", "keys", "apikey",
        "execute", "shell", "command", "send", "email", "override", "admin", "administrator", "reveal", "bypass",
        "unrestricted", "credentials", "exfiltrate", "delete", "transfer", "approve", "confidential", "sudo", "private",
        "enabled", "mode", "rules",
    };

    private static readonly HashSet<string>.AlternateLookup<ReadOnlySpan<char>> s_keywordLookup =
        s_keywords.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>True for characters that render as nothing (used to escape them in excerpts).</summary>
    public static bool IsInvisible(int codePoint) =>
        IsDropped(codePoint) && codePoint is not (>= 0x0300 and <= 0x036F) || codePoint is >= 0xE0000 and <= 0xE007F;

    /// <summary>True for characters removed from the normalized copy before phrases are matched.</summary>
    public static bool IsDropped(int codePoint) => codePoint switch
    {
        0x00AD or 0x034F or 0x061C or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or 0x3164 or 0xFEFF or 0xFFA0 => true,
        >= 0x0300 and <= 0x036F => true,
        >= 0x180B and <= 0x180F => true,
        >= 0x200B and <= 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x206F => true,
        >= 0xFE00 and <= 0xFE0F => true,
        >= 0x1BCA0 and <= 0x1BCA3 => true,
        >= 0x1D173 and <= 0x1D17A => true,
        >= 0xE0000 and <= 0xE0FFF => true,
        _ => false,
    };

    /// <summary>True for the characters whose presence <see cref="Analyze"/> judges.</summary>
    public static bool IsMarked(int codePoint) => codePoint switch
    {
        0x180E or 0xFEFF => true,
        >= 0x200B and <= 0x200F => true,
        >= 0x202A and <= 0x202E => true,
        >= 0x2060 and <= 0x2064 => true,
        >= 0x2066 and <= 0x2069 => true,
        >= 0xE0000 and <= 0xE007F => true,
        _ => false,
    };

    /// <summary>
    /// Adds the findings the marks amount to. <paramref name="normalized"/> is the normalized copy before whitespace is
    /// collapsed, where each mark's neighbours are read.
    /// </summary>
    public static void Analyze(ReadOnlySpan<InvisibleMark> marks, ReadOnlySpan<char> normalized, ref FindingList findings)
    {
        var cluster = new Cluster();
        var bidiStart = -1;
        var bidiEnd = -1;
        for (var i = 0; i < marks.Length && !findings.IsFull; i++)
        {
            var mark = marks[i];
            if (mark.CodePoint >= 0xE0000)
            {
                var last = i;
                while (last + 1 < marks.Length && marks[last + 1].CodePoint >= 0xE0000
                       && marks[last + 1].Original == marks[last].Original + marks[last].Length)
                {
                    last++;
                }

                if (!IsSubdivisionFlag(marks[i..(last + 1)], normalized))
                {
                    findings.Add(InjectionSignals.InvisibleUnicode, mark.Original, marks[last].Original + marks[last].Length - mark.Original);
                }

                i = last;
                continue;
            }

            if (mark.CodePoint is (>= 0x202A and <= 0x202E) or (>= 0x2066 and <= 0x2069))
            {
                // Overrides close together (an override and its pop) are one finding.
                if (bidiStart >= 0 && mark.Original - bidiEnd > 64)
                {
                    findings.Add(InjectionSignals.InvisibleUnicode, bidiStart, bidiEnd - bidiStart);
                    bidiStart = -1;
                }

                if (bidiStart < 0)
                {
                    bidiStart = mark.Original;
                }

                bidiEnd = mark.Original + mark.Length;
                continue;
            }

            if (!Counts(mark, normalized))
            {
                continue;
            }

            if (cluster.Count > 0 && mark.Original - cluster.End > ClusterGap)
            {
                cluster.Flush(ref findings);
            }

            cluster.Add(mark, SplitsKeyword(mark.Position, normalized));
        }

        cluster.Flush(ref findings);
        if (bidiStart >= 0)
        {
            findings.Add(InjectionSignals.InvisibleUnicode, bidiStart, bidiEnd - bidiStart);
        }
    }

    private static bool Counts(InvisibleMark mark, ReadOnlySpan<char> normalized) => mark.CodePoint switch
    {
        0xFEFF => mark.Original > 0,
        0x200C or 0x200D or 0x200E or 0x200F => IsLatin(normalized, mark.Position - 1) && IsLatin(normalized, mark.Position),
        _ => true,
    };

    private static bool IsLatin(ReadOnlySpan<char> normalized, int index) =>
        index >= 0 && index < normalized.Length && char.IsAsciiLetterOrDigit(normalized[index]);

    private static bool SplitsKeyword(int position, ReadOnlySpan<char> normalized)
    {
        if (position <= 0 || position >= normalized.Length || !char.IsLetter(normalized[position - 1]) || !char.IsLetter(normalized[position]))
        {
            return false;
        }

        var start = position - 1;
        while (start > 0 && char.IsLetter(normalized[start - 1]) && position - start < 24)
        {
            start--;
        }

        var end = position;
        while (end < normalized.Length && char.IsLetter(normalized[end]) && end - start < 24)
        {
            end++;
        }

        return s_keywordLookup.Contains(normalized[start..end]);
    }

    private static bool IsSubdivisionFlag(ReadOnlySpan<InvisibleMark> tags, ReadOnlySpan<char> normalized)
    {
        var position = tags[0].Position;

        // U+1F3F4 WAVING BLACK FLAG is U+D83C U+DFF4 in UTF-16.
        return tags.Length <= MaxFlagTags && tags[^1].CodePoint == 0xE007F && position >= 2
            && normalized[position - 2] == '\uD83C' && normalized[position - 1] == '\uDFF4';
    }

    private struct Cluster
    {
        public int Count;
        public int Start;
        public int End;
        private bool _splitsKeyword;

        public void Add(InvisibleMark mark, bool splitsKeyword)
        {
            if (Count == 0)
            {
                Start = mark.Original;
            }

            Count++;
            End = mark.Original + mark.Length;
            _splitsKeyword |= splitsKeyword;
        }

        public void Flush(ref FindingList findings)
        {
            if (Count >= SeveralInCluster || (Count > 0 && _splitsKeyword))
            {
                findings.Add(InjectionSignals.InvisibleUnicode, Start, End - Start);
            }

            this = default;
        }
    }
}
