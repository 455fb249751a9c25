using System.Diagnostics;

namespace SagaDemo.Testing;

/// <summary>
/// Debian's Chromium, headless, as a real browser for pages the project serves or writes: one run per call with
/// a throwaway profile, stopped if it overruns. Only loopback is reachable, so a page that needed the network
/// outside this machine shows it.
/// </summary>
public static class HeadlessChromium
{
    static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary>The DOM after the page's scripts ran (up to <paramref name="scriptBudget"/> of virtual time).</summary>
    public static async Task<string> DumpDomAsync(Uri page, TimeSpan scriptBudget)
    {
        var (exitCode, stdout, stderr) = await RunAsync([$"--virtual-time-budget={(int)scriptBudget.TotalMilliseconds}", "--dump-dom", page.AbsoluteUri]);
        if (stdout.Length == 0)
            throw new InvalidOperationException($"chromium exited {exitCode} without a DOM: {stderr}");
        return stdout;
    }

    /// <summary>Writes a PNG of the page at the given window size.</summary>
    public static async Task ScreenshotAsync(Uri page, string png, int width, int height)
    {
        var (exitCode, _, stderr) = await RunAsync([$"--screenshot={png}", $"--window-size={width},{height}", page.AbsoluteUri]);
        if (!File.Exists(png))
            throw new InvalidOperationException($"chromium exited {exitCode} without a screenshot: {stderr}");
    }

    static async Task<(int ExitCode, string Stdout, string Stderr)> RunAsync(IEnumerable<string> args)
    {
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser" }.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("chromium is not installed; scripts/setup.sh installs it");
        var profile = Directory.CreateTempSubdirectory("sagademo-chromium-").FullName;
        try
        {
            var start = new ProcessStartInfo(chromium) { RedirectStandardOutput = true, RedirectStandardError = true };
            foreach (var arg in new[]
                     {
                         "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                         "--disable-component-update", "--no-first-run", $"--user-data-dir={profile}",
                         "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
                     }.Concat(args))
                start.ArgumentList.Add(arg);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(Timeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw new TimeoutException($"chromium did not finish within {Timeout}");
            }
            return (process.ExitCode, await stdout, await stderr);
        }
        finally
        {
            Directory.Delete(profile, recursive: true);
        }
    }
}
