using System.Diagnostics;
using System.Globalization;

namespace SagaDemo.Load.Measurement;

/// <summary>CPU time and memory of a process, read from /proc (Linux) so it works for any pid.</summary>
public static class ProcessStats
{
    /// <summary>The kernel's USER_HZ; 100 on every mainstream Linux build.</summary>
    const double ClockTicksPerSecond = 100.0;

    /// <summary>This process's CPU time (user + system).</summary>
    public static TimeSpan OwnCpu()
    {
        using var self = Process.GetCurrentProcess();
        return self.TotalProcessorTime;
    }

    /// <summary>User + system CPU time of <paramref name="pid"/>, or null when it cannot be read.</summary>
    public static TimeSpan? CpuOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            // The command name (field 2) is in parentheses and may hold spaces; fields after it are plain.
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of the whole line, i.e. 11 and 12 after the name.
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return TimeSpan.FromSeconds(ticks / ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException or IndexOutOfRangeException)
        {
            return null;
        }
    }

    /// <summary>A "VmXxx:" line of /proc/pid/status in KiB (VmHWM: peak resident set; VmRSS: current), or null.</summary>
    public static long? StatusKiB(int pid, string field)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
            {
                if (!line.StartsWith(field + ":", StringComparison.Ordinal))
                    continue;
                var number = line[(field.Length + 1)..].Trim().Split(' ')[0];
                return long.Parse(number, CultureInfo.InvariantCulture);
            }
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException)
        {
            return null;
        }
    }
}
