using System.Runtime.InteropServices;

namespace MeshFlow.Tools.Workspace;

/// <summary>
/// The Linux calls the workspace tools open files with: <c>openat2</c> (by syscall number, since libc has no wrapper on
/// every distribution), <c>mkdirat</c>, <c>statx</c> and <c>close</c>. Flag values are the kernel's; the few that differ
/// between x86-64 and arm64 are chosen by architecture.
/// </summary>
internal static unsafe partial class LinuxFileCalls
{
    public const int ENOENT = 2;
    public const int ENXIO = 6;
    public const int EACCES = 13;
    public const int EEXIST = 17;
    public const int EXDEV = 18;
    public const int ENOTDIR = 20;
    public const int EISDIR = 21;
    public const int EINVAL = 22;
    public const int ENAMETOOLONG = 36;
    public const int ENOSYS = 38;
    public const int ELOOP = 40;
    public const int EAGAIN = 11;

    public const ulong ORdOnly = 0x0;
    public const ulong OWrOnly = 0x1;
    public const ulong OCreat = 0x40;
    public const ulong ONoCtty = 0x100;
    public const ulong ONonBlock = 0x800;
    public const ulong OCloExec = 0x80000;

    public const ulong ResolveNoXdev = 0x01;
    public const ulong ResolveNoMagicLinks = 0x02;
    public const ulong ResolveNoSymlinks = 0x04;
    public const ulong ResolveBeneath = 0x08;

    /// <summary>Every resolution the workspace tools use: beneath the handle, no symlink, no magic link, no mount crossing.</summary>
    public const ulong ResolveConfined = ResolveBeneath | ResolveNoSymlinks | ResolveNoMagicLinks | ResolveNoXdev;

    public const ushort SIfMt = 0xF000;
    public const ushort SIfReg = 0x8000;
    public const ushort SIfDir = 0x4000;
    public const ushort SIfLnk = 0xA000;

    private const long SysOpenat2 = 437;
    private const int AtEmptyPath = 0x1000;
    private const int AtSymlinkNoFollow = 0x100;
    private const uint StatxType = 0x1;
    private const uint StatxMode = 0x2;
    private const uint StatxNlink = 0x4;
    private const uint StatxUid = 0x8;
    private const uint StatxSize = 0x200;

    /// <summary>O_DIRECTORY: 0200000 on x86-64, 040000 on arm64.</summary>
    public static ulong ODirectory { get; } = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x4000UL : 0x10000UL;

    /// <summary>O_NOFOLLOW: 0400000 on x86-64, 0100000 on arm64.</summary>
    public static ulong ONoFollow { get; } = RuntimeInformation.ProcessArchitecture is Architecture.Arm64 or Architecture.Arm ? 0x8000UL : 0x20000UL;

    /// <summary>Opens <paramref name="path"/> relative to <paramref name="directory"/> with openat2; returns the fd or -1 (errno set).</summary>
    public static int OpenAt2(int directory, string path, ulong flags, ulong mode, ulong resolve)
    {
        var how = new OpenHow { Flags = flags, Mode = mode, Resolve = resolve };
        return (int)Openat2Syscall(SysOpenat2, directory, path, &how, (nuint)sizeof(OpenHow));
    }

    /// <summary>The type bits, link count and size of an open file descriptor, or false (errno set).</summary>
    public static bool TryStat(int fd, out ushort mode, out uint links, out long size)
    {
        // struct statx is 256 bytes with the same layout on every architecture: stx_nlink at 16, stx_mode at 28, stx_size at 40.
        var buffer = stackalloc byte[256];
        mode = 0;
        links = 0;
        size = 0;
        if (Statx(fd, string.Empty, AtEmptyPath, StatxType | StatxMode | StatxNlink | StatxSize, buffer) != 0)
        {
            return false;
        }

        links = *(uint*)(buffer + 16);
        mode = *(ushort*)(buffer + 28);
        size = *(long*)(buffer + 40);
        return true;
    }

    /// <summary>The owner and permission bits of an open file descriptor, or false (errno set).</summary>
    public static bool TryOwner(int fd, out uint uid, out ushort mode)
    {
        // stx_uid is at 20 and stx_mode at 28 in struct statx.
        var buffer = stackalloc byte[256];
        uid = 0;
        mode = 0;
        if (Statx(fd, string.Empty, AtEmptyPath, StatxType | StatxMode | StatxUid, buffer) != 0)
        {
            return false;
        }

        uid = *(uint*)(buffer + 20);
        mode = *(ushort*)(buffer + 28);
        return true;
    }

    [LibraryImport("libc", EntryPoint = "geteuid")]
    public static partial uint GetEffectiveUserId();

    /// <summary>Whether <paramref name="name"/>, one name inside <paramref name="directory"/>, is a symbolic link (not followed).</summary>
    public static bool IsSymbolicLink(int directory, string name)
    {
        var buffer = stackalloc byte[256];
        return !name.Contains('/', StringComparison.Ordinal)
            && Statx(directory, name, AtSymlinkNoFollow, StatxType, buffer) == 0
            && (*(ushort*)(buffer + 28) & SIfMt) == SIfLnk;
    }

    [LibraryImport("libc", EntryPoint = "syscall", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial long Openat2Syscall(long number, int directory, string path, OpenHow* how, nuint size);

    [LibraryImport("libc", EntryPoint = "mkdirat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int MkdirAt(int directory, string path, uint mode);

    [LibraryImport("libc", EntryPoint = "fchown", SetLastError = true)]
    public static partial int FChown(int fd, int owner, int group);

    [LibraryImport("libc", EntryPoint = "fchmod", SetLastError = true)]
    public static partial int FChmod(int fd, uint mode);

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    public static partial int Open(string path, int flags, uint mode);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    public static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "statx", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Statx(int directory, string path, int flags, uint mask, byte* buffer);

    [StructLayout(LayoutKind.Sequential)]
    private struct OpenHow
    {
        public ulong Flags;
        public ulong Mode;
        public ulong Resolve;
    }
}
