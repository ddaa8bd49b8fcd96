using System.Globalization;
using System.Text;
using MeshFlow.Tools.BuiltIn;

namespace MeshFlow.Tools.Workspace;

/// <summary>
/// The string checks on a workspace path, made before any file is touched. They exist to give the model a clear
/// message; confinement itself is the kernel's (<c>openat2</c> with <c>RESOLVE_BENEATH</c> and no symlinks), so
/// nothing here decodes percent-escapes or normalises Unicode: <c>%2e%2e</c> and fullwidth dots are literal names.
/// </summary>
internal static class WorkspacePathRules
{
    /// <summary>The longest path accepted, in UTF-8 bytes (below Linux's PATH_MAX).</summary>
    public const int MaxPathBytes = 1_024;

    /// <summary>The longest single name accepted, in UTF-8 bytes (Linux's NAME_MAX).</summary>
    public const int MaxSegmentBytes = 255;

    /// <summary>
    /// The path's names, checked: relative, no <c>..</c>, no backslash, no control character, not too long. Empty and
    /// <c>.</c> segments are dropped.
    /// </summary>
    public static IReadOnlyList<string> Segments(string tool, string path)
    {
        if (path.Length == 0)
        {
            throw Refused(tool, path, "the path is empty");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw Refused(tool, path, "the path contains a NUL byte");
        }

        if (path.Any(char.IsControl))
        {
            throw Refused(tool, path, "the path contains a control character");
        }

        if (path.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            throw Refused(tool, path, "URLs are not paths; give a path relative to the run's workspace, such as notes/summary.txt");
        }

        if (path[0] is '/' or '\\' or '~' || (path.Length >= 2 && char.IsAsciiLetter(path[0]) && path[1] == ':'))
        {
            throw Refused(tool, path, "absolute paths are not allowed; give a path relative to the run's workspace, such as notes/summary.txt");
        }

        if (path.Contains('\\', StringComparison.Ordinal))
        {
            throw Refused(tool, path, "backslashes are not allowed; separate folders with '/'");
        }

        if (Encoding.UTF8.GetByteCount(path) > MaxPathBytes)
        {
            throw Refused(tool, path, string.Create(CultureInfo.InvariantCulture, $"the path is longer than {MaxPathBytes} bytes"));
        }

        if (path.EndsWith('/'))
        {
            throw Refused(tool, path, "the path names a folder; give a file's path");
        }

        var segments = new List<string>();
        foreach (var segment in path.Split('/'))
        {
            if (segment is "" or ".")
            {
                continue;
            }

            if (segment == "..")
            {
                throw Refused(tool, path, "'..' is not allowed; paths stay inside the run's workspace");
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                throw Refused(tool, path, string.Create(CultureInfo.InvariantCulture, $"a name in the path is longer than {MaxSegmentBytes} bytes"));
            }

            segments.Add(segment);
        }

        return segments.Count == 0 ? throw Refused(tool, path, "the path names the workspace itself; give a file's path") : segments;
    }

    /// <summary>A refusal naming the path as the model gave it (shortened and with control characters escaped).</summary>
    public static BuiltInToolException Refused(string tool, string path, string reason) => new($"{tool}: '{Display(path)}': {reason}");

    /// <summary>The path as the model gave it, made safe for a one-line message.</summary>
    public static string Display(string path)
    {
        var builder = new StringBuilder(Math.Min(path.Length, 200));
        foreach (var c in path)
        {
            if (builder.Length >= 200)
            {
                builder.Append('…');
                break;
            }

            if (char.IsControl(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
