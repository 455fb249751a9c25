using System.Runtime.InteropServices;

namespace SagaDemo.Testing.Processes;

/// <summary>
/// Marks every open file descriptor of this process close-on-exec, so a child process started next inherits none.
/// .NET opens its own descriptors that way, native code need not: librdkafka's mock cluster accept()s broker
/// connections without CLOEXEC. A child started while a test hosts a mock broker (a restarted service, pg_ctl's
/// PostgreSQL, kcat) would inherit those sockets and hold them open after the broker closes its end (set down),
/// and the broker's clients would wait for answers on them until socket.timeout.ms instead of seeing the outage.
/// </summary>
/// <remarks>
/// A connection the broker accepts between this scan and the fork is still inherited; children are started at
/// moments when no client is connecting (start-up, after a kill), so the window stays empty in practice.
/// </remarks>
public static class InheritedDescriptors
{
    const int GetDescriptorFlags = 1; // F_GETFD
    const int SetDescriptorFlags = 2; // F_SETFD
    const int CloseOnExec = 1;        // FD_CLOEXEC

    /// <summary>Call right before starting a child process. Returns how many descriptors it had to mark.</summary>
    public static int MarkCloseOnExec()
    {
        if (!OperatingSystem.IsLinux())
            return 0;
        var marked = 0;
        foreach (var entry in Directory.EnumerateFileSystemEntries("/proc/self/fd"))
        {
            // 0-2 are the standard streams a child is meant to share; the directory listing's own descriptor is gone
            // again by the time fcntl runs (then -1, skipped).
            if (!int.TryParse(Path.GetFileName(entry), out var fd) || fd <= 2)
                continue;
            var flags = Fcntl(fd, GetDescriptorFlags, 0);
            if (flags >= 0 && (flags & CloseOnExec) == 0 && Fcntl(fd, SetDescriptorFlags, flags | CloseOnExec) == 0)
                marked++;
        }
        return marked;
    }

    [DllImport("libc.so.6", EntryPoint = "fcntl")]
    static extern int Fcntl(int fd, int command, int argument);
}
