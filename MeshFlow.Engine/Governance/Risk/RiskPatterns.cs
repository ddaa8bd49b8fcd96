using System.Buffers;
using System.Text.RegularExpressions;

namespace MeshFlow.Governance.Risk;

/// <summary>The source-generated patterns the argument rules match; each is documented in <see cref="RiskRules"/>.</summary>
/// <remarks>
/// Each pattern has hints: strings one of which (ignoring case) every match contains. A value without any is not run
/// through the pattern, which spares most values the pattern's character-by-character scan; the hints are vectorized
/// searches. A pattern changed without its hints fails <c>RiskPatternHintTests</c>.
/// </remarks>
internal static partial class RiskPatterns
{
    // The rm alternatives start "rm" and a blank (the shell splits words on blanks, so nothing else can follow);
    // the fork bomb needs "{".
    private static readonly SearchValues<string> s_destructiveHints = SearchValues.Create(
        ["rm ", "rm\t", "rm\n", "rm\r", "mkfs", "of=/dev/", "shred", "{", "drop", "truncate", "format", "remove-item"],
        StringComparison.OrdinalIgnoreCase);

    // del/erase/rd/rmdir are common word endings ("third ", "word "), so they hint only together with "/s".
    private static readonly SearchValues<string> s_windowsDeleteHints = SearchValues.Create(
        ["del ", "del\t", "erase ", "erase\t", "rd ", "rd\t", "rmdir ", "rmdir\t"], StringComparison.OrdinalIgnoreCase);

    private static readonly SearchValues<string> s_credentialHints = SearchValues.Create(
        [
            "-----begin", "akia", "asia", "sk-", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "bearer",
            "authorization", "password", "passwd", "passphrase", "secret", "token", "api_key", "api-key", "apikey",
        ],
        StringComparison.OrdinalIgnoreCase);

    // Every money alternative has a digit and one of these.
    private static readonly SearchValues<string> s_moneyHints = SearchValues.Create(
        ["$", "€", "£", "¥", "₹", "usd", "eur", "gbp", "jpy", "chf", "cad", "aud", "inr", "cny", "btc", "dollars", "euros", "pounds"],
        StringComparison.OrdinalIgnoreCase);

    internal static bool MayBeDestructive(ReadOnlySpan<char> value) =>
        value.ContainsAny(s_destructiveHints)
        || (value.ContainsAny(s_windowsDeleteHints) && value.Contains("/s", StringComparison.OrdinalIgnoreCase));

    internal static bool MayBeCredential(ReadOnlySpan<char> value) => value.ContainsAny(s_credentialHints);

    internal static bool MayBeMoney(ReadOnlySpan<char> value) =>
        value.ContainsAnyInRange('0', '9') && value.ContainsAny(s_moneyHints);

    // Which kind of credential a match is, from its first characters (never its value).
    internal static string CredentialKind(ReadOnlySpan<char> match) =>
        match.StartsWith("-----") ? "a private key"
        : match.StartsWith("AKIA") || match.StartsWith("ASIA") ? "an AWS access key"
        : match.StartsWith("sk-") ? "an API key"
        : match.StartsWith("gh") || match.StartsWith("github_pat_") ? "a GitHub token"
        : match.StartsWith("xox") ? "a Slack token"
        : match.StartsWith("bearer", StringComparison.OrdinalIgnoreCase) ? "a bearer token"
        : match.StartsWith("authorization", StringComparison.OrdinalIgnoreCase) ? "basic credentials"
        : "a secret assignment";

    // rm with recursive and force flags (together or apart), rm -r of /, ~, * or $HOME, and rm --no-preserve-root;
    // mkfs; dd writing to a device; shred of a file; the bash fork bomb; DROP TABLE/DATABASE/SCHEMA; TRUNCATE TABLE
    // or "TRUNCATE name;"; format of a drive; del/erase/rd/rmdir with /s; Remove-Item -Recurse.
    [GeneratedRegex(
        """
        \brm[\x20\t\r\n]+(?:--?[a-z-]+\s+)*?(?:-[a-z]*(?:r[a-z]*f|f[a-z]*r)
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
        |\b(?:del|erase|rd|rmdir)[\x20\t]+(?:/[a-z]\s+)*/s\b
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
