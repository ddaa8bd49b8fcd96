using System.Globalization;
using System.Runtime.InteropServices;
using System.Runtime.Versioning;
using System.Text;
using MeshFlow.Tools.BuiltIn;
using Microsoft.Win32.SafeHandles;
using static MeshFlow.Tools.Workspace.LinuxFileCalls;

namespace MeshFlow.Tools.Workspace;

/// <summary>
/// Reads and writes files of a run's workspace (<see cref="WorkspacePaths.RunFolder"/>) so that nothing outside it can
/// be reached, even by a symlink swapped in while a call runs: the run folder is opened as a directory handle, one
/// name at a time without following symlinks, and every file or subfolder is opened relative to a handle with
/// <c>openat2</c> and <c>RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV</c>, so the
/// kernel refuses any resolution that would leave it. Only regular files are read or written.
/// </summary>
[SupportedOSPlatform("linux")]
internal static class WorkspaceFiles
{
    private const uint FolderMode = 0x1C0; // 0700
    private const ulong FileMode = 0x180; // 0600
    private const uint SharedFolderMode = 0x1E8; // 0750
    private const ushort OthersMayWrite = 0x12; // 0022
    private const uint SharedFileMode = 0x1A0; // 0640

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private static ulong OpenFolderFlags => ORdOnly | ODirectory | ONoFollow | OCloExec;

    private static ulong OpenFileFlags => ONoFollow | OCloExec | ONoCtty | ONonBlock;

    /// <summary>The text of <paramref name="path"/> in the run's workspace.</summary>
    public static string Read(string root, ToolInvocation invocation, string tool, string path, int maxBytes)
    {
        var segments = WorkspacePathRules.Segments(tool, path);
        using var folder = OpenRunFolder(root, invocation, create: false, tool, path);
        if (folder is null)
        {
            throw WorkspacePathRules.Refused(tool, path, "no such file in the run's workspace");
        }

        var fd = OpenAt2((int)folder.DangerousGetHandle(), string.Join('/', segments), ORdOnly | OpenFileFlags, 0, ResolveConfined);
        if (fd < 0)
        {
            throw Failed(tool, path, Marshal.GetLastPInvokeError());
        }

        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        var size = CheckRegular(handle, tool, path);
        if (size > maxBytes)
        {
            throw WorkspacePathRules.Refused(tool, path, string.Create(CultureInfo.InvariantCulture, $"the file has {size:N0} bytes; at most {maxBytes:N0} are read"));
        }

        var buffer = new byte[(int)Math.Min(size, maxBytes) + 1];
        var read = 0;
        using (var stream = new FileStream(handle, FileAccess.Read, bufferSize: 0))
        {
            int n;
            while (read < buffer.Length && (n = stream.Read(buffer, read, buffer.Length - read)) > 0)
            {
                read += n;
            }

            // The file may have grown since it was measured; the cap holds on what is read.
            if (read > maxBytes || (read == buffer.Length && stream.ReadByte() >= 0))
            {
                throw WorkspacePathRules.Refused(tool, path, string.Create(CultureInfo.InvariantCulture, $"the file has more than {maxBytes:N0} bytes"));
            }
        }

        try
        {
            return StrictUtf8.GetString(buffer, 0, read);
        }
        catch (DecoderFallbackException)
        {
            throw WorkspacePathRules.Refused(tool, path, "the file is binary (not UTF-8 text)");
        }
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/>, creating missing folders; replaces a file that is there.</summary>
    /// <param name="root">The workspace root.</param>
    /// <param name="invocation">Whose run's folder.</param>
    /// <param name="tool">The tool's name, for messages.</param>
    /// <param name="path">The path as the model gave it.</param>
    /// <param name="content">The bytes to write.</param>
    /// <param name="sandboxGroup">
    /// As root: the group the run's folder, its subfolders and the file are given (0750, 0640), so a sandbox of that group
    /// reads them; null leaves them the service's own (0700, 0600).
    /// </param>
    public static void Write(string root, ToolInvocation invocation, string tool, string path, byte[] content, int? sandboxGroup)
    {
        var segments = WorkspacePathRules.Segments(tool, path);
        var folder = OpenRunFolder(root, invocation, create: true, tool, path)!;
        try
        {
            Share(folder, sandboxGroup, SharedFolderMode, tool, path);
            for (var i = 0; i < segments.Count - 1; i++)
            {
                var next = OpenOrCreateFolder(folder, segments[i], tool, path);
                folder.Dispose();
                folder = next;
                Share(folder, sandboxGroup, SharedFolderMode, tool, path);
            }

            var fd = OpenAt2((int)folder.DangerousGetHandle(), segments[^1], OWrOnly | OCreat | OpenFileFlags, FileMode, ResolveConfined);
            if (fd < 0)
            {
                throw Failed(tool, path, Marshal.GetLastPInvokeError());
            }

            using var handle = new SafeFileHandle(fd, ownsHandle: true);

            // Truncation waits until the handle is known to be a regular file with no other name.
            CheckRegular(handle, tool, path);
            Share(handle, sandboxGroup, SharedFileMode, tool, path);
            using var stream = new FileStream(handle, FileAccess.Write, bufferSize: 0);
            stream.SetLength(0);
            stream.Write(content);
            stream.Flush();
        }
        finally
        {
            folder.Dispose();
        }
    }

    // Through the handle, so the ownership lands on what was checked, not on whatever the name points to now.
    private static void Share(SafeFileHandle handle, int? group, uint mode, string tool, string path)
    {
        if (group is not { } gid)
        {
            return;
        }

        var fd = (int)handle.DangerousGetHandle();
        if (FChown(fd, -1, gid) != 0 || FChmod(fd, mode) != 0)
        {
            throw Failed(tool, path, Marshal.GetLastPInvokeError());
        }
    }

    private static SafeFileHandle? OpenRunFolder(string root, ToolInvocation invocation, bool create, string tool, string path)
    {
        var rootPath = Path.GetFullPath(root);
        if (create)
        {
            Directory.CreateDirectory(rootPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        // The root is not followed either: under a shared folder such as /tmp, another user could have put a symlink (or
        // a folder of their own) there first, and the service would then write wherever that points.
        var rootFd = Open(rootPath, (int)(ORdOnly | ODirectory | ONoFollow | OCloExec), 0);
        if (rootFd < 0)
        {
            var error = Marshal.GetLastPInvokeError();
            return error == ENOENT && !create ? null : throw new BuiltInToolException(error is ELOOP or ENOTDIR
                ? $"{tool}: the workspace folder is a symbolic link or not a folder; set MESHFLOW_WORKSPACE_DIR to a real folder"
                : $"{tool}: the workspace folder cannot be opened (errno {error})");
        }

        var folder = new SafeFileHandle(rootFd, ownsHandle: true);
        if (!TryOwner(rootFd, out var owner, out var mode) || owner != GetEffectiveUserId() || (mode & OthersMayWrite) != 0)
        {
            folder.Dispose();
            throw new BuiltInToolException(
                $"{tool}: the workspace folder belongs to another user or others may write in it; set MESHFLOW_WORKSPACE_DIR to a folder of the service's own");
        }
        foreach (var name in new[] { WorkspacePaths.FolderName(invocation.TenantId), WorkspacePaths.FolderName(invocation.RunId) })
        {
            SafeFileHandle? next;
            try
            {
                next = create ? OpenOrCreateFolder(folder, name, tool, path) : OpenFolder(folder, name, tool, path);
            }
            finally
            {
                folder.Dispose();
            }

            if (next is null)
            {
                return null;
            }

            folder = next;
        }

        return folder;
    }

    private static SafeFileHandle? OpenFolder(SafeFileHandle parent, string name, string tool, string path)
    {
        var fd = OpenAt2((int)parent.DangerousGetHandle(), name, OpenFolderFlags, 0, ResolveConfined);
        if (fd >= 0)
        {
            return new SafeFileHandle(fd, ownsHandle: true);
        }

        var error = Marshal.GetLastPInvokeError();

        // O_DIRECTORY with O_NOFOLLOW reports a symlink as "not a directory"; the model is told what it is.
        if (error == ENOTDIR && IsSymbolicLink((int)parent.DangerousGetHandle(), name))
        {
            error = ELOOP;
        }

        return error == ENOENT ? null : throw Failed(tool, path, error);
    }

    private static SafeFileHandle OpenOrCreateFolder(SafeFileHandle parent, string name, string tool, string path)
    {
        if (MkdirAt((int)parent.DangerousGetHandle(), name, FolderMode) != 0)
        {
            var error = Marshal.GetLastPInvokeError();
            if (error != EEXIST)
            {
                throw Failed(tool, path, error);
            }
        }

        return OpenFolder(parent, name, tool, path) ?? throw Failed(tool, path, ENOENT);
    }

    private static long CheckRegular(SafeFileHandle handle, string tool, string path)
    {
        if (!TryStat((int)handle.DangerousGetHandle(), out var mode, out var links, out var size))
        {
            throw Failed(tool, path, Marshal.GetLastPInvokeError());
        }

        var type = mode & SIfMt;
        if (type == SIfDir)
        {
            throw WorkspacePathRules.Refused(tool, path, "the path names a folder; give a file's path");
        }

        if (type != SIfReg)
        {
            throw WorkspacePathRules.Refused(tool, path, "not a regular file (a device, FIFO or socket); only regular files are read or written");
        }

        // A second name may lie outside the workspace (a hard link cannot be told from the original).
        return links > 1
            ? throw WorkspacePathRules.Refused(tool, path, "the file has other hard links, which may lie outside the run's workspace")
            : size;
    }

    private static BuiltInToolException Failed(string tool, string path, int error) => WorkspacePathRules.Refused(tool, path, error switch
    {
        ENOENT => "no such file in the run's workspace",
        ELOOP => "the path goes through a symbolic link, which is not followed",
        EXDEV => "the path leads outside the run's workspace",
        ENOTDIR => "a folder in the path is a file",
        EISDIR => "the path names a folder; give a file's path",
        ENXIO => "not a regular file (a device, FIFO or socket); only regular files are read or written",
        EACCES => "permission denied",
        ENAMETOOLONG => "the path is too long",
        ENOSYS => "this kernel has no openat2 (Linux 5.6 or later is needed)",
        EAGAIN => "the file is busy; try again",
        _ => string.Create(CultureInfo.InvariantCulture, $"the file cannot be opened (errno {error})"),
    });
}
