using System.Runtime.InteropServices;

namespace MeshFlow.Cli.Dev;

/// <summary>
/// Sends a signal to another process. .NET can only kill one (SIGKILL); stopping an AppHost gracefully, so that it
/// shuts its servers down cleanly, takes SIGTERM.
/// </summary>
internal static class PosixSignals
{
    /// <summary>SIGTERM: the same number on Linux and macOS.</summary>
    public const int Terminate = 15;

    /// <summary>SIGKILL: the same number on Linux and macOS.</summary>
    public const int Kill = 9;

    /// <summary>Sends <paramref name="signal"/> to <paramref name="pid"/>; false where there are no signals (Windows) or it is gone.</summary>
    /// <remarks>Only a process: kill(2) reads 0 and negative pids as process groups, this one's included.</remarks>
    public static bool Send(int pid, int signal) => pid > 0 && !OperatingSystem.IsWindows() && NativeKill(pid, signal) == 0;

    [DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
    private static extern int NativeKill(int pid, int signal);
}
