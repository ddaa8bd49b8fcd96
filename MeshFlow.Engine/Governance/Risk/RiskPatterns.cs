using System.Text.RegularExpressions;

namespace MeshFlow.Governance.Risk;

/// <summary>The source-generated patterns the argument rules match; each is documented in <see cref="RiskRules"/>.</summary>
internal static partial class RiskPatterns
{
    // rm with recursive and force flags (together or apart), rm -r of /, ~, * or $HOME, and rm --no-preserve-root;
    // mkfs; dd writing to a device; shred of a file; the bash fork bomb; DROP TABLE/DATABASE/SCHEMA; TRUNCATE TABLE
    // or "TRUNCATE name;"; format of a drive; del/erase/rd/rmdir with /s; Remove-Item -Recurse.
    [GeneratedRegex(
        """
        \brm\s+(?:--?[a-z-]+\s+)*?(?:-[a-z]*(?:r[a-z]*f|f[a-z]*r)
          |(?:-[a-z]*r[a-z]*|--recursive)\s+(?:--?[a-z-]+\s+)*?(?:-[a-z]*f|--force)
          |(?:-[a-z]*f[a-z]*|--force)\s+(?:--?[a-z-]+\s+)*?(?:-[a-z]*r|--recursive)
          |(?:-[a-z]*r[a-z]*|--recursive)\s+(?:--?[a-z-]+\s+)*?["']?(?:/\*?(?=["'\s;&|]|$)|~/?(?=["'\s;&|]|$)|\*|\$HOME\b)
          |--no-preserve-root)
        |\bmkfs(?:\.[a-z0-9]+)?\b
        |\bdd\b[^\n;|&]*\bof=/dev/
        |\bshred\s+(?:-{1,2}[a-z]|[~/.]|[\w-]+\.[a-z0-9]{1,8}\b)
        |(?:^|[\s;&|]):\s*\(\s*\)\s*\{
        |\bdrop\s+(?:table|database|schema)\b
        |\btruncate\s+table\b|\btruncate\s+[\w."`\[\]]+\s*;
        |\bformat(?:\.com)?\s+[a-z]:
        |\b(?:del|erase|rd|rmdir)\s+(?:/[a-z]\s+)*/s\b
        |\bremove-item\b[^\n;|]*\s-recurse\b
        """,
        RegexOptions.IgnoreCase | RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    internal static partial Regex Destructive();

    // Case matters where the credential format fixes it (AKIA..., ghp_...); a digit is required in sk- keys and bearer
    // tokens so that words such as "sk-learn" or "bearer responsibilities" are not taken for secrets. An assignment's
    // value that is a reference ($VAR, <placeholder>, ***, {{template}}, %VAR%) or a short number is not a secret.
    [GeneratedRegex(
        """
        -----BEGIN\ (?:[A-Z0-9]+\ )*PRIVATE\ KEY-----
        |\b(?:AKIA|ASIA)[0-9A-Z]{16}\b
        |\bsk-(?=[A-Za-z0-9_-]*[0-9])[A-Za-z0-9_-]{20,}
        |\b(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|\bgithub_pat_[A-Za-z0-9_]{30,}
        |\bxox[abposr]-[A-Za-z0-9-]{10,}
        |(?i:\bbearer\s+)(?=[A-Za-z0-9._~+/-]*[0-9])[A-Za-z0-9._~+/-]{16,}
        |(?i:\bauthorization\s*[:=]\s*["']?basic\s+)[A-Za-z0-9+/]{8,}
        |(?i:(?<![a-z0-9])(?:password|passwd|passphrase|secret|client_secret|token|access_token|api[_-]?key|secret[_-]?key)
           ["']?\s*(?:=|:\s*["']))\s*(?![$<*{%])(?![0-9]{1,8}\b)[^\s"',;&]{4,}
        """,
        RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    internal static partial Regex Credential();

    // A currency symbol or ISO code next to a number, or a number of dollars/euros/pounds. "$" counts only when no
    // word character, "{" or "$" precedes it, so "${1}" and "$$" in scripts are not money.
    [GeneratedRegex(
        """
        (?<![\w{$])[$€£¥₹]\s?[0-9]
        |\b(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|BTC)\s?[0-9]
        |[0-9]\s?(?:USD|EUR|GBP|JPY|CHF|CAD|AUD|INR|CNY|BTC)\b
        |[0-9]\s?(?i:dollars|euros|pounds\ sterling)\b
        """,
        RegexOptions.CultureInvariant | RegexOptions.IgnorePatternWhitespace)]
    internal static partial Regex Money();
}
