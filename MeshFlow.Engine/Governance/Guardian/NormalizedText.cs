using System.Buffers;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// The copy of a text the injection patterns match against, with a map back to the original. Buffers are pooled; the
/// owner disposes it.
/// </summary>
/// <remarks>
/// <para>Normalizing decodes JSON escapes and HTML character references (<see cref="EncodedText"/>), drops invisible
/// characters, folds look-alike letters (<see cref="LetterFolding"/>), lower-cases, decodes Unicode tag characters to
/// the ASCII they mirror (so hidden tag text is matched like any other), collapses each run of whitespace to one space
/// (or one line break, if the run had one), drops the comment marker that continues a comment block on the next line
/// (<c># </c>, <c>/// </c>, <c>* </c>), joins words broken across a line by a hyphen (<c>instruc-\ntions</c>) and joins
/// letter-spaced words (<c>i g n o r e</c>: four or more single letters one to three spaces apart).</para>
/// <para>Every normalized character keeps the original offset of the code point it came from, so a match maps back to
/// the original span exactly: from the first code point it covers to the end of the last (a decoded escape such as
/// <c>\u003C</c> counts whole).</para>
/// </remarks>
internal ref struct NormalizedText
{
    private readonly ReadOnlySpan<char> _original;
    private char[] _chars;
    private int[] _starts;
    private InvisibleMark[]? _marks;
    private int _markCount;

    private NormalizedText(ReadOnlySpan<char> original)
    {
        _original = original;
        _chars = ArrayPool<char>.Shared.Rent(original.Length + 16);
        _starts = ArrayPool<int>.Shared.Rent(original.Length + 16);
    }

    public int Length { get; private set; }

    public readonly ReadOnlySpan<char> Text => _chars.AsSpan(0, Length);

    /// <summary>Normalizes <paramref name="original"/>, adding the invisible-character findings on the way.</summary>
    public static NormalizedText Create(ReadOnlySpan<char> original, ref FindingList findings)
    {
        var text = new NormalizedText(original);
        text.Decode();
        text.FoldLookAlikes();
        if (text._marks is not null)
        {
            InvisibleCharacters.Analyze(text._marks.AsSpan(0, text._markCount), text.Text, ref findings);
        }

        text.Compact();
        return text;
    }

    /// <summary>The original span a normalized span came from.</summary>
    public readonly (int Start, int Length) ToOriginal(int start, int length)
    {
        if (Length == 0)
        {
            return (0, 0);
        }

        start = Math.Clamp(start, 0, Length - 1);
        var originalStart = _starts[start];
        if (length <= 0)
        {
            return (originalStart, 0);
        }

        var last = _starts[Math.Min(start + length, Length) - 1];
        EncodedText.Read(_original, last, out var consumed);
        return (originalStart, last + consumed - originalStart);
    }

    public void Dispose()
    {
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<int>.Shared.Return(_starts);
        if (_marks is not null)
        {
            ArrayPool<InvisibleMark>.Shared.Return(_marks);
        }

        this = default;
    }

    private void Decode()
    {
        Span<char> folded = stackalloc char[4];
        for (var i = 0; i < _original.Length;)
        {
            var at = i;
            var c = _original[i];
            if (c < 0x80 && c is not ('\\' or '&'))
            {
                i++;
                Append(c switch
                {
                    >= 'A' and <= 'Z' => (char)(c + 32),
                    '\n' or '\r' => '\n',
                    < ' ' or '\x7F' => ' ',
                    _ => c,
                }, at);
                continue;
            }

            var codePoint = EncodedText.Read(_original, i, out var consumed);
            i += consumed;
            if (codePoint < 0x80)
            {
                Append(codePoint switch
                {
                    >= 'A' and <= 'Z' => (char)(codePoint + 32),
                    '\n' or '\r' => '\n',
                    < ' ' or 0x7F => ' ',
                    _ => (char)codePoint,
                }, at);
                continue;
            }

            if (InvisibleCharacters.IsMarked(codePoint))
            {
                Mark(codePoint, at, consumed);
            }

            if (codePoint is >= 0xE0020 and <= 0xE007E)
            {
                var ascii = (char)(codePoint - 0xE0000);
                Append(char.ToLowerInvariant(ascii), at);
                continue;
            }

            if (InvisibleCharacters.IsDropped(codePoint))
            {
                continue;
            }

            if (codePoint is 0x85 or 0x2028 or 0x2029)
            {
                Append('\n', at);
                continue;
            }

            if (codePoint <= 0xFFFF && char.IsWhiteSpace((char)codePoint))
            {
                Append(' ', at);
                continue;
            }

            var length = LetterFolding.Fold(codePoint, folded);
            if (length > 0)
            {
                foreach (var f in folded[..length])
                {
                    Append(f, at);
                }
            }
            else if (codePoint > 0xFFFF)
            {
                var offset = codePoint - 0x10000;
                Append((char)(0xD800 + (offset >> 10)), at);
                Append((char)(0xDC00 + (offset & 0x3FF)), at);
            }
            else
            {
                Append(char.ToLowerInvariant((char)codePoint), at);
            }
        }
    }

    // A Cyrillic or Greek look-alike is folded only inside a word that also has a Latin letter.
    private readonly void FoldLookAlikes()
    {
        var chars = _chars.AsSpan(0, Length);
        var wordStart = -1;
        var latin = false;
        var lookAlike = false;
        for (var k = 0; k <= chars.Length; k++)
        {
            var c = k < chars.Length ? chars[k] : ' ';
            if (char.IsLetter(c))
            {
                if (wordStart < 0)
                {
                    (wordStart, latin, lookAlike) = (k, false, false);
                }

                latin |= c is >= 'a' and <= 'z';
                lookAlike |= c > '\x7F' && LetterFolding.LookAlike(c) != '\0';
                continue;
            }

            if (wordStart >= 0 && latin && lookAlike)
            {
                foreach (ref var letter in chars[wordStart..k])
                {
                    var folded = LetterFolding.LookAlike(letter);
                    if (folded != '\0')
                    {
                        letter = folded;
                    }
                }
            }

            wordStart = -1;
        }
    }

    private void Compact() => Length = WhitespaceCompaction.Compact(_chars.AsSpan(0, Length), _starts.AsSpan(0, Length));

    private void Append(char c, int originalIndex)
    {
        if (Length == Math.Min(_chars.Length, _starts.Length))
        {
            Grow();
        }

        _chars[Length] = c;
        _starts[Length] = originalIndex;
        Length++;
    }

    private void Grow()
    {
        var chars = ArrayPool<char>.Shared.Rent(Length * 2);
        var starts = ArrayPool<int>.Shared.Rent(Length * 2);
        _chars.AsSpan(0, Length).CopyTo(chars);
        _starts.AsSpan(0, Length).CopyTo(starts);
        ArrayPool<char>.Shared.Return(_chars);
        ArrayPool<int>.Shared.Return(_starts);
        (_chars, _starts) = (chars, starts);
    }

    private void Mark(int codePoint, int originalIndex, int length)
    {
        _marks ??= ArrayPool<InvisibleMark>.Shared.Rent(16);
        if (_markCount == _marks.Length)
        {
            var larger = ArrayPool<InvisibleMark>.Shared.Rent(_marks.Length * 2);
            _marks.AsSpan(0, _markCount).CopyTo(larger);
            ArrayPool<InvisibleMark>.Shared.Return(_marks);
            _marks = larger;
        }

        _marks[_markCount++] = new InvisibleMark(codePoint, originalIndex, length, Length);
    }
}
