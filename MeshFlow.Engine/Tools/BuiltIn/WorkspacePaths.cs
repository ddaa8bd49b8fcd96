using System.Buffers;
using System.Security.Cryptography;
using System.Text;

namespace MeshFlow.Tools.BuiltIn;

/// <summary>Where a run's workspace is: <c>&lt;root&gt;/&lt;tenant&gt;/&lt;run&gt;</c>, one folder name per id.</summary>
public static class WorkspacePaths
{
    private const string HashedPrefix = "id-";

    private static readonly SearchValues<char> NameChars =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

    /// <summary>The absolute folder of <paramref name="invocation"/>'s run under <paramref name="root"/> (not created here).</summary>
    public static string RunFolder(string root, ToolInvocation invocation)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(root);
        ArgumentNullException.ThrowIfNull(invocation);
        return Path.Combine(Path.GetFullPath(root), FolderName(invocation.TenantId), FolderName(invocation.RunId));
    }

    /// <summary>
    /// The folder name an id is kept under: the id itself when it is a plain name (letters, digits, <c>.</c>, <c>_</c>,
    /// <c>-</c>, at most 100, not starting with a dot or <c>id-</c>), else <c>id-</c> and a hash of it, so no id can name a parent,
    /// a sibling or an absolute path.
    /// </summary>
    public static string FolderName(string id)
    {
        ArgumentNullException.ThrowIfNull(id);
        // An id that itself starts with the hashed prefix is hashed too, so no id can name another id's folder.
        if (id.Length is > 0 and <= 100 && id[0] != '.' && !id.StartsWith(HashedPrefix, StringComparison.Ordinal) && !id.AsSpan().ContainsAnyExcept(NameChars))
        {
            return id;
        }

        return HashedPrefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)).AsSpan(0, 12));
    }
}
