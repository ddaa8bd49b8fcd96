namespace MeshFlow.Governance.Guardian;

/// <summary>
/// The scanner's own compatibility folding: the parts of NFKC that disguise Latin letters (fullwidth forms,
/// mathematical alphanumerics, enclosed letters, ligatures), plus small capitals, plus Cyrillic and Greek look-alikes
/// inside a Latin word.
/// </summary>
/// <remarks>
/// <see cref="string.Normalize()"/> cannot be used: MeshFlow hosts run with <c>InvariantGlobalization</c>, where
/// NFKC leaves these characters as they are. A Cyrillic <c>о</c> is folded only inside a word that also has a Latin
/// letter (<c>ignоre</c>), so Russian text stays Russian and its own patterns still match it.
/// </remarks>
internal static class LetterFolding
{
    /// <summary>
    /// Writes the folded (lower-case) form of <paramref name="codePoint"/> to <paramref name="destination"/> and returns
    /// its length (1 to 3), or 0 when the code point has no fold here.
    /// </summary>
    public static int Fold(int codePoint, Span<char> destination)
    {
        switch (codePoint)
        {
            case >= 0xFF01 and <= 0xFF5E:
                destination[0] = char.ToLowerInvariant((char)(codePoint - 0xFEE0));
                return 1;
            case >= 0x1D400 and <= 0x1D6A3:
                // Thirteen alphabets of 52 letters (A-Z, a-z), from bold to monospace.
                var letter = (codePoint - 0x1D400) % 52;
                destination[0] = (char)('a' + (letter % 26));
                return 1;
            case 0x1D6A4:
                destination[0] = 'i';
                return 1;
            case 0x1D6A5:
                destination[0] = 'j';
                return 1;
            case >= 0x1D7CE and <= 0x1D7FF:
                destination[0] = (char)('0' + ((codePoint - 0x1D7CE) % 10));
                return 1;
            case >= 0x24B6 and <= 0x24CF:
                destination[0] = (char)('a' + (codePoint - 0x24B6));
                return 1;
            case >= 0x24D0 and <= 0x24E9:
                destination[0] = (char)('a' + (codePoint - 0x24D0));
                return 1;
            case >= 0x249C and <= 0x24B5:
                destination[0] = (char)('a' + (codePoint - 0x249C));
                return 1;
            case >= 0x1F130 and <= 0x1F149:
                destination[0] = (char)('a' + (codePoint - 0x1F130));
                return 1;
            case >= 0x1F150 and <= 0x1F169:
                destination[0] = (char)('a' + (codePoint - 0x1F150));
                return 1;
            case >= 0x1F170 and <= 0x1F189:
                destination[0] = (char)('a' + (codePoint - 0x1F170));
                return 1;
            case 0xFB00:
                return Write(destination, "ff");
            case 0xFB01:
                return Write(destination, "fi");
            case 0xFB02:
                return Write(destination, "fl");
            case 0xFB03:
                return Write(destination, "ffi");
            case 0xFB04:
                return Write(destination, "ffl");
            case 0xFB05 or 0xFB06:
                return Write(destination, "st");
            case 0x2018 or 0x2019 or 0x201A or 0x201B or 0x2032 or 0xFF07:
                destination[0] = '\'';
                return 1;
            case 0x201C or 0x201D or 0x201E or 0x201F or 0x00AB or 0x00BB or 0x2033 or 0x300C or 0x300D:
                destination[0] = '"';
                return 1;
            case 0x2010 or 0x2011 or 0x2012 or 0x2013 or 0x2014 or 0x2015 or 0x2212:
                destination[0] = '-';
                return 1;
            case 0x2071:
                destination[0] = 'i';
                return 1;
            case 0x207F:
                destination[0] = 'n';
                return 1;
            default:
                var small = SmallCapital(codePoint);
                if (small != 0)
                {
                    destination[0] = small;
                    return 1;
                }

                return 0;
        }
    }

    /// <summary>The Latin letter a Cyrillic or Greek lower-case letter looks like, or 0.</summary>
    public static char LookAlike(char c) => c switch
    {
        '\u0430' or '\u03B1' => 'a',
        '\u0435' or '\u03B5' => 'e',
        '\u043E' or '\u03BF' => 'o',
        '\u0440' or '\u03C1' => 'p',
        '\u0441' => 'c',
        '\u0443' or '\u03B3' => 'y',
        '\u0445' or '\u03C7' => 'x',
        '\u0456' or '\u03B9' or '\u0131' => 'i',
        '\u0458' => 'j',
        '\u0455' => 's',
        '\u04BB' => 'h',
        '\u0501' => 'd',
        '\u051B' => 'q',
        '\u051D' => 'w',
        '\u03BA' => 'k',
        '\u03BD' => 'v',
        '\u03C4' => 't',
        '\u03C5' => 'u',
        _ => '\0',
    };

    private static char SmallCapital(int codePoint) => codePoint switch
    {
        0x1D00 => 'a',
        0x0299 => 'b',
        0x1D04 => 'c',
        0x1D05 => 'd',
        0x1D07 => 'e',
        0xA730 => 'f',
        0x0262 => 'g',
        0x029C => 'h',
        0x026A => 'i',
        0x1D0A => 'j',
        0x1D0B => 'k',
        0x029F => 'l',
        0x1D0D => 'm',
        0x0274 => 'n',
        0x1D0F => 'o',
        0x1D18 => 'p',
        0x0280 => 'r',
        0xA731 => 's',
        0x1D1B => 't',
        0x1D1C => 'u',
        0x1D20 => 'v',
        0x1D21 => 'w',
        0x028F => 'y',
        0x1D22 => 'z',
        _ => '\0',
    };

    private static int Write(Span<char> destination, string folded)
    {
        folded.AsSpan().CopyTo(destination);
        return folded.Length;
    }
}
