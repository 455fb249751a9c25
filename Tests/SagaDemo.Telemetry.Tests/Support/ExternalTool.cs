using System.Diagnostics;

namespace SagaDemo.Telemetry.Tests.Support;

/// <summary>Locates Debian's prometheus/promtool binaries and fails with the fix when absent.</summary>
public static class ExternalTool
{
    public static string Find(string name)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Append("/usr/bin"))
        {
            var candidate = Path.Combine(dir, name);
            if (File.Exists(candidate))
                return candidate;
        }
        throw new InvalidOperationException(
            $"'{name}' is not installed: the telemetry tests need Debian's prometheus package (apt-get install prometheus; scripts/setup.sh does it).");
    }

    /// <summary>Runs a tool to completion with stdin text; returns exit code and combined output.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string name, string arguments, string stdin, TimeSpan timeout)
    {
        var start = new ProcessStartInfo(Find(name), arguments)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.StandardInput.WriteAsync(stdin);
        process.StandardInput.Close();
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{name} {arguments} did not finish within {timeout}");
        }
        return (process.ExitCode, await stdout + await stderr);
    }
}
