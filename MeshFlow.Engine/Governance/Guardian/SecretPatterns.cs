using System.Buffers;
using System.Text.RegularExpressions;

namespace MeshFlow.Governance.Guardian;

/// <summary>
/// The secret shapes <see cref="LeakScanner"/> knows. Each pattern runs only when the text holds one of its hints
/// (vectorized substring searches), and on the non-backtracking engine.
/// </summary>
internal static partial class SecretPatterns
{
    private const RegexOptions Options = RegexOptions.NonBacktracking | RegexOptions.CultureInvariant;

    /// <summary>Every token pattern's match starts with one of these (case matters: the formats fix it).</summary>
    public static readonly SearchValues<string> TokenHints = SearchValues.Create(
        ["sk-", "AKIA", "ASIA", "ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_", "xox", "_live_", "AIza", "eyJ", "hooks.slack.com"],
        StringComparison.Ordinal);

    /// <summary>Every contextual pattern's match contains one of these (any case).</summary>
    public static readonly SearchValues<string> ContextHints = SearchValues.Create(
        ["secret_access_key", "secretaccesskey", "aws_secret", "secret-access-key", "ocp-apim-subscription-key", "accountkey"],
        StringComparison.OrdinalIgnoreCase);

    /// <summary>Key-shaped tokens, told apart by their prefix (see <see cref="LeakScanner"/>).</summary>
    [GeneratedRegex(
        @"\b(?:sk-[A-Za-z0-9_\-]{20,}|(?:AKIA|ASIA)[A-Z0-9]{16}\b|(?:ghp|gho|ghu|ghs|ghr)_[A-Za-z0-9]{30,}|github_pat_[A-Za-z0-9_]{30,}|xox[abeoprs]-[A-Za-z0-9\-]{10,}"
        + @"|(?:sk|rk)_live_[A-Za-z0-9]{16,}|AIza[0-9A-Za-z_\-]{35}|eyJ[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]{5,}\.[A-Za-z0-9_\-]*)"
        + @"|https://hooks\.slack\.com/services/[A-Za-z0-9/_\-]{20,}",
        Options)]
    public static partial Regex Token();

    /// <summary>Secrets known by the name before them: AWS secret keys, Azure subscription and account keys.</summary>
    [GeneratedRegex(
        @"(?:aws_?secret_?access_?key|aws_?secret_?key|secret_?access_?key|secret-access-key)[""']?\s*[:=]\s*[""']?[A-Za-z0-9/+=]{40,}"
        + @"|ocp-apim-subscription-key[""']?\s*[:=]\s*[""']?[0-9a-f]{32}\b"
        + @"|\baccountkey\s*=\s*[A-Za-z0-9+/]{40,}={0,2}",
        Options | RegexOptions.IgnoreCase)]
    public static partial Regex Contextual();

    /// <summary>A password, account key or shared access key assigned in a <c>key=value;</c> string.</summary>
    [GeneratedRegex(@"\b(?:password|pwd|accountkey|sharedaccesskey)\s*=\s*", Options | RegexOptions.IgnoreCase)]
    public static partial Regex ConnectionStringKey();

    /// <summary>A URL with a user-info password: <c>postgres://app:s3cret@db/app</c>, <c>redis://:s3cret@cache</c>.</summary>
    [GeneratedRegex(@"\b[a-z][a-z0-9+.\-]{1,20}://[^\s/:@""'<>`]*:[^\s/@""'<>`]+@[^\s/@""'<>`]+", Options | RegexOptions.IgnoreCase)]
    public static partial Regex UrlCredentials();

    /// <summary>The BEGIN line of a PEM private key.</summary>
    [GeneratedRegex(@"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----", Options)]
    public static partial Regex PrivateKeyBegin();
}
