using System.Collections.Frozen;

namespace MeshFlow.Governance.Risk;

/// <summary>
/// What an argument's or a tool's name suggests. Names are split into words at <c>_</c>, <c>-</c>, <c>.</c>, spaces
/// and camelCase humps (<c>targetFile</c>, <c>file_path</c>, <c>fs.writeFile</c>), so <c>profile</c> is not a file
/// and <c>postgres</c> does not post. An argument's name is read once per value, in one pass.
/// </summary>
internal static class ArgumentNames
{
    private static readonly FrozenDictionary<string, ArgumentKinds>.AlternateLookup<ReadOnlySpan<char>> s_words = Words();

    private static readonly string[] s_secretNames =
    [
        "password", "passwd", "passphrase", "secret", "clientsecret", "token", "accesstoken", "authtoken", "apitoken",
        "bearertoken", "refreshtoken", "idtoken", "sessiontoken", "apikey", "privatekey", "secretkey", "secretaccesskey",
        "credential", "credentials", "authorization",
    ];

    // Word prefixes: "writeFile", "saves", "deleted", "copyTo" all write.
    private static readonly string[] s_writeVerbs = ["write", "save", "delete", "move", "copy", "append", "rename", "remove", "overwrite", "put"];

    private static readonly string[] s_sendWords = ["send", "post", "email", "mail", "upload", "http", "https", "fetch", "webhook", "curl", "wget", "publish", "notify", "tweet", "sms"];

    // Word prefixes for names written as one word: "sendmail", "httpget", "uploadfile", "fetchurl".
    private static readonly string[] s_sendPrefixes = ["send", "http", "upload", "fetch", "email", "webhook"];

    /// <summary>Everything an argument's name suggests.</summary>
    public static ArgumentKinds Classify(ReadOnlySpan<char> name)
    {
        var kinds = ArgumentKinds.None;
        if (name.Equals("mode", StringComparison.OrdinalIgnoreCase))
        {
            kinds |= ArgumentKinds.Mode;
        }

        var rest = name;
        while (NextWord(ref rest, out var word))
        {
            if (s_words.TryGetValue(word, out var found))
            {
                kinds |= found;
            }
            else if (word.Length > 4 && (word.EndsWith("url", StringComparison.OrdinalIgnoreCase) || word.EndsWith("uri", StringComparison.OrdinalIgnoreCase)))
            {
                // "callbackUrl" is split, "imageurl" is not; "curl" is a command, not a URL.
                kinds |= ArgumentKinds.Host;
            }
        }

        return IsSecret(name) ? kinds | ArgumentKinds.Secret : kinds;
    }

    public static bool WritesByName(ReadOnlySpan<char> toolName) => AnyWord(toolName, s_writeVerbs, prefix: true);

    public static bool SendsByName(ReadOnlySpan<char> toolName) =>
        AnyWord(toolName, s_sendWords, prefix: false) || AnyWord(toolName, s_sendPrefixes, prefix: true);

    /// <summary>A <c>mode</c> value that opens for writing: <c>write</c>, <c>w</c>, <c>a</c>, <c>append</c>...</summary>
    public static bool IsWriteMode(ReadOnlySpan<char> value) =>
        value.Equals("write", StringComparison.OrdinalIgnoreCase) || value.Equals("append", StringComparison.OrdinalIgnoreCase)
        || value.Equals("overwrite", StringComparison.OrdinalIgnoreCase) || value.Equals("create", StringComparison.OrdinalIgnoreCase)
        || value is "w" or "wb" or "w+" or "a" or "ab" or "a+" or "x";

    /// <summary>A name such as <c>password</c>, <c>api_key</c>, <c>DB_PASSWORD</c> or <c>clientSecret</c>.</summary>
    private static bool IsSecret(ReadOnlySpan<char> name)
    {
        // Compare with separators removed, so api_key, api-key, apiKey and API_KEY are one name.
        Span<char> folded = stackalloc char[40];
        var length = 0;
        foreach (var c in name)
        {
            if (c is '_' or '-' or '.' or ' ')
            {
                continue;
            }

            if (length == folded.Length)
            {
                return false;
            }

            folded[length++] = char.ToLowerInvariant(c);
        }

        var word = folded[..length];
        foreach (var secret in s_secretNames)
        {
            if (word.SequenceEqual(secret))
            {
                return true;
            }
        }

        return word.EndsWith("password") || word.EndsWith("secret") || word.EndsWith("apikey") || word.EndsWith("privatekey");
    }

    private static FrozenDictionary<string, ArgumentKinds>.AlternateLookup<ReadOnlySpan<char>> Words()
    {
        var words = new Dictionary<string, ArgumentKinds>(StringComparer.OrdinalIgnoreCase);
        void Add(ArgumentKinds kind, params string[] names)
        {
            foreach (var name in names)
            {
                words[name] = words.GetValueOrDefault(name) | kind;
            }
        }

        Add(ArgumentKinds.Path, "path", "file", "filename", "filepath", "dest", "destination", "target", "output", "out",
            "outfile", "outdir", "outpath", "dir", "directory", "folder", "outputpath", "outputdir", "outputfile", "destpath", "targetpath");
        Add(ArgumentKinds.Host, "url", "uri", "host", "hostname", "domain", "endpoint", "href", "link", "webhook", "server", "origin");
        Add(ArgumentKinds.Command, "command", "cmd", "commands", "script", "shell", "bash", "sh", "powershell", "exec", "argv", "args");
        Add(ArgumentKinds.Money, "amount", "price", "payment", "transfer", "cost", "fee", "total", "charge");
        return words.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase).GetAlternateLookup<ReadOnlySpan<char>>();
    }

    private static bool AnyWord(ReadOnlySpan<char> name, string[] words, bool prefix)
    {
        var rest = name;
        while (NextWord(ref rest, out var word))
        {
            foreach (var candidate in words)
            {
                if (prefix ? word.StartsWith(candidate, StringComparison.OrdinalIgnoreCase)
                    : word.Equals(candidate, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool NextWord(ref ReadOnlySpan<char> rest, out ReadOnlySpan<char> word)
    {
        var start = 0;
        while (start < rest.Length && !char.IsLetterOrDigit(rest[start]))
        {
            start++;
        }

        if (start == rest.Length)
        {
            word = default;
            rest = default;
            return false;
        }

        var end = start + 1;
        while (end < rest.Length && char.IsLetterOrDigit(rest[end])
            && !(char.IsUpper(rest[end]) && char.IsLower(rest[end - 1])))
        {
            end++;
        }

        word = rest[start..end];
        rest = rest[end..];
        return true;
    }
}
